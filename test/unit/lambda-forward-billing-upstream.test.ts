// forward-billing against a real HTTP server on port 0 standing in for the gateway: the request
// it sends (path, Idempotency-Key, PascalCase body), and every upstream outcome — created,
// replayed, rejected 4xx, 5xx → 502, timeout → 504, refused → 502, unusable answer → 502 — each
// with exactly one upstream attempt.
import { createHash } from 'node:crypto'
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import type { Test } from 'tap'
import { readConfig } from '../../lambdas/forward-billing/config.js'
import { createForwardBillingHandler } from '../../lambdas/forward-billing/handler.js'
import { jsonOf, loadEvent, problemBody } from '../helpers/lambda-events.js'

interface Seen { method: string, url: string, headers: IncomingMessage['headers'], body: string }
type Reply = (req: Seen, res: ServerResponse) => void

async function fakeGateway (t: Test, reply: Reply): Promise<{ url: string, seen: Seen[] }> {
  const seen: Seen[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => { body += c.toString('utf8') })
    req.on('end', () => {
      const s = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body }
      seen.push(s)
      reply(s, res)
    })
  })
  await new Promise<void>(resolve => server.listen({ port: 0, host: '127.0.0.1' }, resolve))
  t.teardown(async () => {
    server.closeAllConnections()
    await new Promise(resolve => server.close(resolve))
  })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }
}

const legacyBilling = (key: string): Record<string, unknown> => ({
  Id: 17, ProjectId: 3, Amount: 1250.75, Currency: 'EUR', Description: 'November consulting', BilledOn: '2026-11-27', UserId: null, IdempotencyKey: key, CreatedAt: '2026-11-28T07:00:01.000Z'
})
const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(typeof body === 'string' ? body : JSON.stringify(body))
}
const LEGACY_BODY = '{"ProjectId":3,"Amount":1250.75,"Currency":"EUR","Description":"November consulting","BilledOn":"2026-11-27"}'
const derivedKey = (requestId: string): string => `fb-${createHash('sha256').update(`${requestId}\n${LEGACY_BODY}`).digest('hex').slice(0, 40)}`
const handlerFor = (url: string, timeoutMs = 3000): ReturnType<typeof createForwardBillingHandler> =>
  createForwardBillingHandler(readConfig({ GATEWAY_BASE_URL: url, UPSTREAM_TIMEOUT_MS: String(timeoutMs) }))

t.test('a valid billing is POSTed once to /api/Billings in PascalCase with a derived key; 201 answers camelCase', async t => {
  const key = derivedKey('req-billing-1')
  const gw = await fakeGateway(t, (_req, res) => send(res, 201, legacyBilling(key), { location: '/api/Billings/17' }))
  const res = await handlerFor(gw.url)(loadEvent('forward-billing-create'))
  t.equal(gw.seen.length, 1)
  const [req] = gw.seen
  t.equal(req?.method, 'POST')
  t.equal(req?.url, '/api/Billings')
  t.equal(req?.headers['idempotency-key'], key)
  t.equal(req?.headers['content-type'], 'application/json')
  t.equal(req?.headers['x-forwarded-by-function'], 'forward-billing')
  t.equal(req?.body, LEGACY_BODY)
  t.equal(res.statusCode, 201)
  t.equal(res.headers['idempotency-key'], key)
  t.equal(res.headers['idempotent-replayed'], undefined)
  t.strictSame(jsonOf(res), {
    id: 17, projectId: 3, amount: 1250.75, currency: 'EUR', description: 'November consulting', billedOn: '2026-11-27', userId: null, idempotencyKey: key, createdAt: '2026-11-28T07:00:01.000Z'
  })

  // the same request again (a retried invocation) carries the same key
  await handlerFor(gw.url)(loadEvent('forward-billing-create'))
  t.equal(gw.seen[1]?.headers['idempotency-key'], key)
})

t.test('the client\'s Idempotency-Key and userId are forwarded; a legacy replay is reported', async t => {
  const gw = await fakeGateway(t, (_req, res) => send(res, 201, { ...legacyBilling('client-key-0001'), UserId: 7 }, { 'idempotent-replayed': 'true' }))
  const res = await handlerFor(gw.url)(loadEvent('forward-billing-create-with-key'))
  t.equal(gw.seen[0]?.headers['idempotency-key'], 'client-key-0001')
  t.match(JSON.parse(gw.seen[0]?.body ?? '{}'), { UserId: 7 })
  t.equal(res.statusCode, 201)
  t.equal(res.headers['idempotent-replayed'], 'true')
  t.match(jsonOf(res), { userId: 7, idempotencyKey: 'client-key-0001' })
})

t.test('the gateway\'s async 202 is passed on: the job with its absolute Location, the key kept', async t => {
  const key = derivedKey('req-billing-1')
  const job = { jobId: 'AbC_-123xyzAbC_-123xyz', state: 'queued', location: '/_gateway/jobs/AbC_-123xyzAbC_-123xyz' }
  let n = 0
  const gw = await fakeGateway(t, (_req, res) => {
    n++
    send(res, 202, job, { location: job.location, ...(n === 2 ? { 'idempotent-replayed': 'true' } : {}) })
  })
  const res = await handlerFor(gw.url)(loadEvent('forward-billing-create'))
  t.equal(gw.seen.length, 1, 'one attempt')
  t.equal(gw.seen[0]?.headers['idempotency-key'], key)
  t.equal(res.statusCode, 202)
  t.equal(res.headers.location, `${gw.url}${job.location}`)
  t.equal(res.headers['idempotency-key'], key)
  t.equal(res.headers['idempotent-replayed'], undefined)
  t.strictSame(jsonOf(res), { jobId: job.jobId, state: 'queued', location: `${gw.url}${job.location}` })

  const again = await handlerFor(gw.url)(loadEvent('forward-billing-create'))
  t.equal(again.statusCode, 202)
  t.equal(again.headers['idempotent-replayed'], 'true', 'the gateway coalesced the retried invocation into the same job')
})

t.test('a 202 that is not a job (no id, Location disagreeing, foreign location) is 502', async t => {
  const answers: Array<[unknown, Record<string, string>]> = [
    [{ state: 'queued', location: '/_gateway/jobs/abc' }, {}],
    [{ jobId: 'abc', state: 'queued', location: '/_gateway/jobs/abc' }, { location: '/_gateway/jobs/other' }],
    [{ jobId: 'abc', state: 'queued', location: 'http://elsewhere.test/_gateway/jobs/abc' }, {}],
    ['accepted', {}]
  ]
  let n = 0
  const gw = await fakeGateway(t, (_req, res) => {
    const [body, headers] = answers[n++]!
    send(res, 202, body, headers)
  })
  for (let i = 0; i < answers.length; i++) {
    const res = await handlerFor(gw.url)(loadEvent('forward-billing-create'))
    t.strictSame([res.statusCode, jsonOf(res)], [502, problemBody('FN_ERR_UPSTREAM_BAD_RESPONSE', 'the gateway answered 202 without a job', { requestId: 'req-billing-1' })], `answer ${i + 1}`)
  }
})

t.test('a legacy 400 passes through with its field errors in camelCase', async t => {
  const gw = await fakeGateway(t, (_req, res) => send(res, 400, {
    type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
    title: 'One or more validation errors occurred.',
    status: 400,
    errors: { ProjectId: ['Project 3 does not exist.'], Currency: ['Currency must match the project\'s budget currency (EUR).'] },
    traceId: '00-abc-def-00'
  }, { 'content-type': 'application/problem+json' }))
  const res = await handlerFor(gw.url)(loadEvent('forward-billing-create'))
  t.equal(res.statusCode, 400)
  t.strictSame(jsonOf(res), problemBody('FN_ERR_UPSTREAM_REJECTED', 'One or more validation errors occurred.', {
    status: 400,
    requestId: 'req-billing-1',
    errors: [
      { path: '/body/projectId', message: 'Project 3 does not exist.' },
      { path: '/body/currency', message: 'Currency must match the project\'s budget currency (EUR).' }
    ]
  }))
})

t.test('a legacy 422 (key reused with another body) and a gateway 429 pass through', async t => {
  let n = 0
  const gw = await fakeGateway(t, (_req, res) => {
    n++
    if (n === 1) send(res, 422, { title: 'Unprocessable Entity', status: 422, detail: 'Idempotency key client-key-0001 was used with another request.' })
    else send(res, 429, 'slow down', { 'retry-after': '2', 'content-type': 'text/plain' })
  })
  const reused = await handlerFor(gw.url)(loadEvent('forward-billing-create-with-key'))
  t.strictSame([reused.statusCode, jsonOf(reused)], [422, problemBody('FN_ERR_UPSTREAM_REJECTED',
    'Idempotency key client-key-0001 was used with another request.', { status: 422, requestId: 'req-billing-2' })])
  const limited = await handlerFor(gw.url)(loadEvent('forward-billing-create-with-key'))
  t.equal(limited.statusCode, 429)
  t.equal(limited.headers['retry-after'], '2')
  t.strictSame(jsonOf(limited), problemBody('FN_ERR_UPSTREAM_REJECTED', 'legacy answered 429', { status: 429, requestId: 'req-billing-2' }))
})

t.test('upstream 5xx is 502 problem+json after exactly one attempt, Retry-After kept', async t => {
  const gw = await fakeGateway(t, (_req, res) => send(res, 503, { title: 'Service Unavailable' }, { 'retry-after': '1' }))
  const res = await handlerFor(gw.url)(loadEvent('forward-billing-create'))
  t.equal(gw.seen.length, 1)
  t.equal(res.statusCode, 502)
  t.equal(res.headers['content-type'], 'application/problem+json')
  t.equal(res.headers['retry-after'], '1')
  t.strictSame(jsonOf(res), problemBody('FN_ERR_UPSTREAM_FAILED', 'legacy answered 503', { requestId: 'req-billing-1' }))
})

t.test('no answer within the timeout is 504; the Lambda deadline shortens the budget', async t => {
  const gw = await fakeGateway(t, () => { /* never answers */ })
  const started = Date.now()
  const res = await handlerFor(gw.url, 150)(loadEvent('forward-billing-create'))
  t.equal(res.statusCode, 504)
  t.strictSame(jsonOf(res), problemBody('FN_ERR_UPSTREAM_TIMEOUT', `no answer from ${gw.url}/api/Billings within 150 ms`, { requestId: 'req-billing-1' }))
  t.ok(Date.now() - started < 5000, 'bounded')

  // 3000 ms configured, but only 300 ms left of the invocation: 300 - 250 margin = 50 ms
  const short = await handlerFor(gw.url, 3000)(loadEvent('forward-billing-create'), { getRemainingTimeInMillis: () => 300 })
  t.strictSame(jsonOf(short), problemBody('FN_ERR_UPSTREAM_TIMEOUT', `no answer from ${gw.url}/api/Billings within 50 ms`, { requestId: 'req-billing-1' }))
  t.equal(gw.seen.length, 2, 'one attempt each, no retry')
})

t.test('a refused connection is 502 FN_ERR_UPSTREAM_UNREACHABLE', async t => {
  const gw = await fakeGateway(t, (_req, res) => send(res, 201, {}))
  const closed = await new Promise<string>(resolve => {
    const s = createServer().listen({ port: 0, host: '127.0.0.1' }, () => {
      const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}`
      s.close(() => resolve(url))
    })
  })
  const res = await handlerFor(closed)(loadEvent('forward-billing-create'))
  t.equal(res.statusCode, 502)
  t.strictSame(jsonOf(res), problemBody('FN_ERR_UPSTREAM_UNREACHABLE', `could not reach ${closed}/api/Billings (ECONNREFUSED)`, { requestId: 'req-billing-1' }))
  t.equal(gw.seen.length, 0)
})

t.test('a 2xx that is not a billing, or a redirect, is 502 FN_ERR_UPSTREAM_BAD_RESPONSE', async t => {
  let n = 0
  const gw = await fakeGateway(t, (_req, res) => {
    n++
    if (n === 1) send(res, 200, '<html>login</html>', { 'content-type': 'text/html' })
    else send(res, 302, '', { location: 'http://elsewhere.test/' })
  })
  const html = await handlerFor(gw.url)(loadEvent('forward-billing-create'))
  t.strictSame([html.statusCode, jsonOf(html)], [502, problemBody('FN_ERR_UPSTREAM_BAD_RESPONSE', 'legacy answered 200 without a billing', { requestId: 'req-billing-1' })])
  const redirect = await handlerFor(gw.url)(loadEvent('forward-billing-create'))
  t.strictSame([redirect.statusCode, jsonOf(redirect)], [502, problemBody('FN_ERR_UPSTREAM_BAD_RESPONSE', 'legacy answered 302 without a billing', { requestId: 'req-billing-1' })])
  t.equal(gw.seen.length, 2)
})

t.test('a gateway that routes the forward back into the function stops after one hop (508 → 502)', async t => {
  let inner = 0
  const loop: { handler?: ReturnType<typeof handlerFor> } = {}
  const gw = await fakeGateway(t, (req, res) => {
    inner++
    // the misrouted gateway: the forwarded request becomes a new event for the same function
    const event = { ...loadEvent('forward-billing-create'), headers: req.headers as Record<string, string>, body: req.body }
    loop.handler?.(event)
      .then(r => { res.writeHead(r.statusCode, r.headers).end(r.body) })
      .catch(() => res.destroy())
  })
  loop.handler = handlerFor(gw.url)
  const res = await loop.handler(loadEvent('forward-billing-create'))
  t.equal(inner, 1, 'the looped request was not forwarded again')
  t.equal(res.statusCode, 502)
  t.strictSame(jsonOf(res), problemBody('FN_ERR_UPSTREAM_FAILED', 'legacy answered 508', { requestId: 'req-billing-1' }))
})
