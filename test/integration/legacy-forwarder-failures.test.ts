// Legacy failures through the lean forwarder map as before (legacy-errors.ts): no headers within
// legacy.timeoutMs → 504, a body that stalls longer than timeoutMs before its first byte → 504,
// after it → the answer is cut; refused and reset connections → 502. Each is one attempt and is
// reported as legacy's failure (what the breaker counts).
import t from 'tap'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { request } from 'undici'
import { startOrigin, until } from '../helpers/gateway.js'
import { startForwarderHarness } from '../helpers/legacy-forwarder-harness.js'

const problemOf = async (res: Awaited<ReturnType<typeof request>>): Promise<Record<string, unknown>> => await res.body.json() as Record<string, unknown>

t.test('no headers within timeoutMs → 504 GW_ERR_LEGACY_TIMEOUT, after the timeout, not the backend', async (t) => {
  const origin = await startOrigin(t, (_req, res) => { setTimeout(() => res.end('late'), 3000).unref() })
  const h = await startForwarderHarness(t, origin.url, { legacy: { timeoutMs: 300 } })
  const started = Date.now()
  const res = await request(`${h.url}/slow`, { headers: { 'x-request-id': 'r-slow' } })
  const took = Date.now() - started
  t.equal(res.statusCode, 504)
  t.equal(res.headers['content-type'], 'application/problem+json')
  t.match(await problemOf(res), { code: 'GW_ERR_LEGACY_TIMEOUT', detail: 'legacy backend did not answer within 300 ms', status: 504 })
  t.ok(took >= 250 && took < 2500, `answered after the timeout (${took} ms)`)
  t.equal(h.calls.ended.length, 1)
  t.match(h.calls.ended[0], { code: 'UND_ERR_HEADERS_TIMEOUT' }, 'legacy\'s failure')
  t.equal(h.outcomes[0]?.errorCode, 'GW_ERR_LEGACY_TIMEOUT')
})

t.test('headers, then no body byte within timeoutMs → still a 504 problem', async (t) => {
  const origin = await startOrigin(t, (_req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.flushHeaders() })
  const h = await startForwarderHarness(t, origin.url, { legacy: { timeoutMs: 300 } })
  const res = await request(`${h.url}/idle`)
  t.equal(res.statusCode, 504)
  t.match(await problemOf(res), { code: 'GW_ERR_LEGACY_TIMEOUT' })
  t.match(h.calls.ended, [{ code: 'UND_ERR_BODY_TIMEOUT' }])
})

t.test('a body that stalls mid-stream for timeoutMs cuts the answer and ends the call', async (t) => {
  const origin = await startOrigin(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.write('first chunk')
  })
  const h = await startForwarderHarness(t, origin.url, { legacy: { timeoutMs: 300 } })
  const res = await request(`${h.url}/stall`)
  t.equal(res.statusCode, 200, 'the head went out with the first chunk')
  await t.rejects(res.body.text(), 'the client sees the answer cut, never a silently short body')
  await until(() => h.calls.ended.length === 1)
  t.match(h.calls.ended, [{ code: 'UND_ERR_BODY_TIMEOUT' }])
})

t.test('connection refused → 502 GW_ERR_LEGACY_UNAVAILABLE', async (t) => {
  const probe = createServer()
  await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve))
  const port = (probe.address() as AddressInfo).port
  await new Promise(resolve => probe.close(resolve))
  const h = await startForwarderHarness(t, `http://127.0.0.1:${port}`)
  const res = await request(`${h.url}/api/x`, { headers: { 'x-request-id': 'r-refused' } })
  t.equal(res.statusCode, 502)
  t.match(await problemOf(res), { code: 'GW_ERR_LEGACY_UNAVAILABLE', detail: 'legacy backend unreachable: connection refused' })
  t.match(h.calls.ended, [{ code: 'ECONNREFUSED' }])
})

t.test('connection reset before a response → 502, one attempt', async (t) => {
  const origin = await startOrigin(t, (req) => { req.socket.destroy() })
  const h = await startForwarderHarness(t, origin.url)
  const res = await request(`${h.url}/reset`)
  t.equal(res.statusCode, 502)
  t.match(await problemOf(res), { detail: 'legacy backend unreachable: connection reset' })
  t.equal(origin.requests(), 1, 'no retry after a reset')
  t.equal(h.calls.ended.length, 1)
})
