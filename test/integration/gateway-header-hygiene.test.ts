// Header hygiene end to end through the legacy target: hop-by-hop headers (and those named in
// Connection) are not forwarded, x-gateway-* and configured internal headers cannot be spoofed,
// x-forwarded-* are rebuilt for an untrusted peer and extended for a trusted one, the request id
// travels upstream, and upstream hop-by-hop / routing headers do not leak back.
import t from 'tap'
import { request } from 'undici'
import { echoHandler, rawRequest, startOrigin, startTestGateway, testConfig } from '../helpers/gateway.js'

interface Echo { method: string, url: string, headers: Record<string, string>, body: string }

t.test('untrusted peer: spoofed and hop-by-hop headers are stripped, x-forwarded-* rebuilt', async (t) => {
  const origin = await startOrigin(t, (req, res, body) => {
    res.setHeader('x-gateway-target', 'lambda')
    res.setHeader('x-request-id', 'from-upstream')
    res.setHeader('keep-alive', 'timeout=99')
    echoHandler()(req, res, body)
  })
  const gw = await startTestGateway(t, testConfig({
    legacy: { url: origin.url },
    server: { internalHeaders: ['x-internal-user'] }
  }))
  const res = await rawRequest(`${gw.url}/api/Budgets/1?x=1`, {
    headers: {
      'x-gateway-target': 'lambda',
      'x-gateway-anything': 'spoof',
      'x-internal-user': 'admin',
      'x-forwarded-for': '6.6.6.6',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'https',
      forwarded: 'for=6.6.6.6',
      connection: 'keep-alive, x-drop-me',
      'x-drop-me': 'secret',
      'proxy-authorization': 'Basic abc',
      te: 'trailers',
      'x-request-id': 'client-id-123',
      'x-keep': 'yes'
    }
  })
  const echo = JSON.parse(res.body.toString()) as Echo
  t.equal(res.status, 200)
  const h = echo.headers
  for (const name of ['x-gateway-target', 'x-gateway-anything', 'x-internal-user', 'forwarded', 'x-drop-me', 'proxy-authorization', 'te']) {
    t.notOk(name in h, `${name} is not forwarded`)
  }
  t.equal(h['x-forwarded-for'], '127.0.0.1', 'an untrusted x-forwarded-for is replaced by the peer')
  t.equal(h['x-forwarded-proto'], 'http')
  t.match(h['x-forwarded-host'], /^127\.0\.0\.1:\d+$/, 'x-forwarded-host is the Host the client used')
  t.equal(h['x-request-id'], 'client-id-123', 'a well-formed request id is propagated')
  t.equal(h['x-keep'], 'yes', 'ordinary headers pass')
  t.equal(echo.url, '/api/Budgets/1?x=1')
  t.equal(res.headers['x-request-id'], 'client-id-123')
  t.equal(res.headers['x-gateway-route'], 'budgets.get')
  t.equal(res.headers['x-gateway-target'], 'legacy', 'upstream cannot override the routing headers')
  t.notOk('keep-alive' in res.headers && res.headers['keep-alive'] === 'timeout=99', 'upstream keep-alive is not passed back')
})

t.test('trusted proxy: x-forwarded-* kept and the peer appended', async (t) => {
  const origin = await startOrigin(t, echoHandler())
  const gw = await startTestGateway(t, testConfig({
    legacy: { url: origin.url },
    server: { trustedProxies: ['127.0.0.0/8'] }
  }))
  const res = await request(`${gw.url}/anything`, {
    headers: { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'app.example' }
  })
  const echo = await res.body.json() as Echo
  t.equal(echo.headers['x-forwarded-for'], '203.0.113.7, 127.0.0.1')
  t.equal(echo.headers['x-forwarded-proto'], 'https')
  t.equal(echo.headers['x-forwarded-host'], 'app.example')
  t.equal(res.headers['x-gateway-route'], 'default')
})

t.test('a malformed request id is replaced by a generated one', async (t) => {
  const origin = await startOrigin(t, echoHandler())
  const gw = await startTestGateway(t, testConfig({ legacy: { url: origin.url } }))
  const res = await request(`${gw.url}/x`, { headers: { 'x-request-id': 'bad id with spaces' } })
  const echo = await res.body.json() as Echo
  const id = res.headers['x-request-id']
  t.match(id, /^[0-9a-f-]{36}$/)
  t.equal(echo.headers['x-request-id'], id)
})

t.test('exposeRoutingHeaders: false hides the routing headers', async (t) => {
  const origin = await startOrigin(t, echoHandler())
  const gw = await startTestGateway(t, testConfig({ legacy: { url: origin.url }, server: { exposeRoutingHeaders: false } }))
  const res = await request(`${gw.url}/x`)
  await res.body.dump()
  t.notOk('x-gateway-route' in res.headers)
  t.notOk('x-gateway-target' in res.headers)
  t.ok(res.headers['x-request-id'])
})
