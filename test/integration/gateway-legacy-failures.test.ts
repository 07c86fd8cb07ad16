// Legacy upstream failures become problem+json with the contract's status codes and no retry:
// a 503 from legacy reaches the client after exactly ONE upstream request (reply-from would
// retry a GET up to 10 times by default), refused/reset connections → 502, a slow backend → 504.
import t from 'tap'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { request } from 'undici'
import { startOrigin, startTestGateway, testConfig } from '../helpers/gateway.js'

const PROBLEM = 'application/problem+json'

t.test('legacy 503 passes through after exactly one upstream request', async (t) => {
  const origin = await startOrigin(t, (_req, res) => {
    res.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '0' })
    res.end('{"title":"busy"}')
  })
  const gw = await startTestGateway(t, testConfig({ legacy: { url: origin.url } }))
  const res = await request(`${gw.url}/api/Billings/1`, { method: 'GET', headers: { 'x-request-id': 'r-503' } })
  t.equal(res.statusCode, 503)
  t.equal(await res.body.text(), '{"title":"busy"}', 'the upstream body is passed as is')
  // give a (buggy) retry loop time to show itself
  await new Promise(resolve => setTimeout(resolve, 150))
  t.equal(origin.requests(), 1, 'no retry on 503')
})

t.test('connection refused → 502 GW_ERR_LEGACY_UNAVAILABLE', async (t) => {
  // a port that was just free: bind, read the port, close
  const probe = createServer()
  await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve))
  const port = (probe.address() as AddressInfo).port
  await new Promise(resolve => probe.close(resolve))
  const gw = await startTestGateway(t, testConfig({ legacy: { url: `http://127.0.0.1:${port}` } }))
  const res = await request(`${gw.url}/api/Budgets/7`, { headers: { 'x-request-id': 'r-refused' } })
  t.equal(res.statusCode, 502)
  t.equal(res.headers['content-type'], PROBLEM)
  t.same(await res.body.json(), {
    type: 'urn:strangler-gateway:problem:legacy-unavailable',
    title: 'Bad Gateway',
    status: 502,
    detail: 'legacy backend unreachable: connection refused',
    code: 'GW_ERR_LEGACY_UNAVAILABLE',
    requestId: 'r-refused'
  })
  t.equal(res.headers['x-gateway-route'], 'budgets.get')
  t.equal(res.headers['x-gateway-target'], 'legacy')
})

t.test('connection reset before a response → 502, one attempt', async (t) => {
  const origin = await startOrigin(t, (req) => { req.socket.destroy() })
  const gw = await startTestGateway(t, testConfig({ legacy: { url: origin.url } }))
  const res = await request(`${gw.url}/api/Budgets/2`, { headers: { 'x-request-id': 'r-reset' } })
  t.equal(res.statusCode, 502)
  t.same(await res.body.json(), {
    type: 'urn:strangler-gateway:problem:legacy-unavailable',
    title: 'Bad Gateway',
    status: 502,
    detail: 'legacy backend unreachable: connection reset',
    code: 'GW_ERR_LEGACY_UNAVAILABLE',
    requestId: 'r-reset'
  })
  t.equal(origin.requests(), 1, 'no retry after a reset')
})

t.test('slow legacy → 504 GW_ERR_LEGACY_TIMEOUT within legacy.timeoutMs', async (t) => {
  const origin = await startOrigin(t, (_req, res) => { setTimeout(() => res.end('late'), 3000).unref() })
  const gw = await startTestGateway(t, testConfig({ legacy: { url: origin.url, timeoutMs: 300 } }))
  const started = Date.now()
  const res = await request(`${gw.url}/slow`, { headers: { 'x-request-id': 'r-slow' } })
  const took = Date.now() - started
  t.equal(res.statusCode, 504)
  t.equal(res.headers['content-type'], PROBLEM)
  t.same(await res.body.json(), {
    type: 'urn:strangler-gateway:problem:legacy-timeout',
    title: 'Gateway Timeout',
    status: 504,
    detail: 'legacy backend did not answer within 300 ms',
    code: 'GW_ERR_LEGACY_TIMEOUT',
    requestId: 'r-slow'
  })
  t.ok(took >= 250 && took < 2500, `answered after the timeout, not the backend (${took} ms)`)
  t.equal(res.headers['x-gateway-route'], 'default')
})
