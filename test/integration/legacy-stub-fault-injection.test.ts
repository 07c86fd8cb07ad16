// POST /__faults: injected 500s (errorRate), slower service (latencyMs), and `down`, which resets
// connections instead of answering, until `{ down: false }` brings the stub back.
import t from 'tap'
import { callJson, startTestLegacyStub } from '../helpers/legacy-stub.js'

t.test('errorRate 1 answers every API request with a 500 ProblemDetails; /__* keep working', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 0 })
  t.same(await stub.faults({ errorRate: 1 }), { latencyMs: 0, errorRate: 1, down: false })
  for (const path of ['/api/Users', '/api/Projects/1', '/api/Nope']) {
    const res = await callJson(stub.url + path)
    t.same(res.body, {
      type: 'https://tools.ietf.org/html/rfc9110#section-15.6.1',
      title: 'An error occurred while processing your request.',
      status: 500,
      detail: 'Injected fault (errorRate 1).',
      code: 'STUB_ERR_FAULT_INJECTED',
      traceId: res.body.traceId
    }, path)
  }
  const stats = await stub.stats()
  t.match(stats, { received: 3, served: 3, errors: 3, faulted: 3, errorRate: 1 })
  t.same(await stub.faults({ errorRate: 0 }), { latencyMs: 0, errorRate: 0, down: false })
  t.equal((await callJson(`${stub.url}/api/Users/1`)).status, 200)
})

t.test('errorRate 0.5 fails the share the random source picks', async t => {
  let n = 0
  const stub = await startTestLegacyStub(t, { latencyMs: 0, random: () => (n++ % 2 === 0 ? 0.25 : 0.75) })
  await stub.faults({ errorRate: 0.5 })
  const statuses = []
  for (let i = 0; i < 6; i++) statuses.push((await callJson(`${stub.url}/api/Users/1`)).status)
  t.same(statuses, [500, 200, 500, 200, 500, 200])
  t.match(await stub.stats(), { faulted: 3, errors: 3, served: 6 })
})

t.test('latencyMs slows every request; null and DELETE restore the configured latency', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 1 })
  await stub.faults({ latencyMs: 150 })
  const started = performance.now()
  const res = await fetch(`${stub.url}/api/Users/1`)
  await res.arrayBuffer()
  const took = performance.now() - started
  t.ok(took >= 145, `took ${took.toFixed(0)} ms`)
  t.match(res.headers.get('server-timing'), /app;dur=150\.0/)
  t.equal((await stub.stats()).latencyMs, 150)
  t.same(await stub.faults({ latencyMs: null }), { latencyMs: 1, errorRate: 0, down: false })

  await stub.faults({ latencyMs: 20, errorRate: 0.1 })
  t.same((await callJson(`${stub.url}/__faults`, { method: 'DELETE' })).body, { latencyMs: 1, errorRate: 0, down: false })
  t.same((await callJson(`${stub.url}/__faults`)).body, { latencyMs: 1, errorRate: 0, down: false })
})

t.test('down resets connections (no HTTP answer at all) until it is restored', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 0 })
  // A request in service when the box dies loses its connection too.
  await stub.faults({ latencyMs: 800 })
  const inService = fetch(`${stub.url}/api/Users/1`).then(r => r.status, (err: Error) => err)
  while ((await stub.stats()).inflight === 0) await new Promise(resolve => setTimeout(resolve, 5))

  t.same(await stub.faults({ down: true, latencyMs: null }), { latencyMs: 0, errorRate: 0, down: true })
  const lost = await inService
  t.type(lost, TypeError, 'the in-service request failed on the client side')

  for (const path of ['/api/Users', '/__stats']) {
    const err = await fetch(stub.url + path).then(() => undefined, (e: Error & { cause?: { code?: string } }) => e)
    t.type(err, TypeError, `${path}: fetch failed`)
    t.match(err?.cause?.code, /^(ECONNRESET|UND_ERR_SOCKET|EPIPE)$/, `${path}: ${String(err?.cause?.code)}`)
  }

  t.same(await stub.faults({ down: false }), { latencyMs: 0, errorRate: 0, down: false })
  t.equal((await callJson(`${stub.url}/api/Users/1`)).status, 200, 'served again')
  t.equal((await stub.stats()).down, false)
})

t.test('going down drops the queue', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 500, maxConcurrency: 1, queueLimit: 5 })
  const pending = Array.from({ length: 3 }, () => fetch(`${stub.url}/api/Users/1`).then(r => r.status, () => 'reset'))
  while ((await stub.stats()).queued < 2) await new Promise(resolve => setTimeout(resolve, 5))
  await stub.faults({ down: true })
  t.equal((await stub.app.inject('/__stats')).statusCode, 200, 'inject bypasses the socket layer')
  t.equal(JSON.parse((await stub.app.inject('/__stats')).body).queued, 0, 'queue dropped')
  t.same(await Promise.all(pending), ['reset', 'reset', 'reset'])
  await stub.faults({ down: false })
})

t.test('the faults body is validated', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 0 })
  const res = await callJson(`${stub.url}/__faults`, { body: { latencyMs: -1, errorRate: 2, down: 'yes', speed: 1 } })
  t.same(res.body, {
    type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
    title: 'One or more validation errors occurred.',
    status: 400,
    code: 'STUB_ERR_VALIDATION',
    traceId: res.body.traceId,
    errors: {
      speed: ['Unknown field; allowed: latencyMs, errorRate, down.'],
      latencyMs: ['Must be an integer from 0 to 60000, or null for the configured latency.'],
      errorRate: ['Must be a number from 0 to 1.'],
      down: ['Must be true or false.']
    }
  })
  const notObject = await callJson(`${stub.url}/__faults`, { body: [1] })
  t.same(notObject.body.errors, { '': ['A JSON object is required: { latencyMs?, errorRate?, down? }.'] })
  t.same((await callJson(`${stub.url}/__faults`)).body, { latencyMs: 0, errorRate: 0, down: false }, 'unchanged')
})
