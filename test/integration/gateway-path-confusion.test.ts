// Path confusion end to end: a path the gateway and the backend could read differently is
// answered 400 problem+json by the gateway and NEVER forwarded (the real legacy stub's
// `received` counter does not move); paths that normalise safely are forwarded in their
// normalised form and matched case-insensitively.
//
// | raw path                          | why                                   | result            |
// |-----------------------------------|---------------------------------------|-------------------|
// | /api/users/%2e%2e/admin           | encoded dot-segment                   | 400               |
// | /api/users/.%2e/admin             | half-encoded dot-segment              | 400               |
// | /api/budgets/1%2F..%2F..%2Fusers  | encoded slash                         | 400               |
// | /api/budgets/1%5c2                | encoded backslash                     | 400               |
// | /api/budgets/1\2                  | raw backslash (IIS treats it as /)    | 400               |
// | /api/budgets/%00                  | encoded NUL                           | 400               |
// | /api/budgets/%zz                  | invalid percent-encoding              | 400               |
// | /api/budgets/%252e%252e           | double encoding                       | 400               |
// | /api/budgets/%c0%ae%c0%ae         | overlong UTF-8 for '.'                | 400               |
// | /../api/budgets/1                 | '..' above the root                   | 400               |
// | /api/budgets;jsessionid=x/1       | ';' path parameter                    | 400               |
// | //api//Budgets///1                | duplicate slashes folded              | → /api/Budgets/1  |
// | /api/./Budgets/x/../1             | dot-segments resolved                 | → /api/Budgets/1  |
// | /api/%42udgets/%31                | unreserved characters decoded         | → /api/Budgets/1  |
// | /API/BUDGETS/1                    | case-insensitive match, case kept     | → /API/BUDGETS/1  |
import t from 'tap'
import { rawRequest, startOrigin, echoHandler, startTestGateway, testConfig } from '../helpers/gateway.js'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'

const REJECTED = [
  ['/api/users/%2e%2e/admin', 'encoded dot-segment'],
  ['/api/users/.%2e/admin', 'half-encoded dot-segment'],
  ['/api/budgets/1%2F..%2F..%2Fusers', 'encoded slash'],
  ['/api/budgets/1%5c2', 'encoded backslash'],
  ['/api/budgets/1\\2', 'raw backslash'],
  ['/api/budgets/%00', 'encoded NUL'],
  ['/api/budgets/%zz', 'invalid percent-encoding'],
  ['/api/budgets/%252e%252e', 'double encoding'],
  ['/api/budgets/%c0%ae%c0%ae', 'overlong UTF-8'],
  ['/../api/budgets/1', 'dot-dot above the root'],
  ['/api/budgets;jsessionid=x/1', 'path parameter']
] as const

t.test('unsafe paths → 400 problem+json, never forwarded', async (t) => {
  const stub = await startTestLegacyStub(t)
  const gw = await startTestGateway(t, testConfig({ legacy: { url: stub.url } }))
  const before = (await stub.stats()).received
  for (const [path, why] of REJECTED) {
    const res = await rawRequest(`${gw.url}${path}`, { headers: { 'x-request-id': 'pc-1' } })
    t.equal(res.status, 400, `${why}: ${path} → 400`)
    t.equal(res.headers['content-type'], 'application/problem+json', `${why}: problem+json`)
    const body = JSON.parse(res.body.toString()) as Record<string, unknown>
    t.match(body, {
      type: 'urn:strangler-gateway:problem:routing-bad-path',
      title: 'Bad Request',
      status: 400,
      code: 'GW_ERR_ROUTING_BAD_PATH',
      requestId: 'pc-1',
      detail: /^the request path cannot be normalised safely: .+/
    }, `${why}: whole problem body`)
  }
  t.equal((await stub.stats()).received, before, 'the legacy stub received none of them')
  const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text()
  t.match(metrics, new RegExp(`gateway_rejections_total\\{route="default",reason="bad_request"\\} ${REJECTED.length}`))
})

t.test('safe paths are forwarded normalised and matched case-insensitively', async (t) => {
  const origin = await startOrigin(t, echoHandler())
  const gw = await startTestGateway(t, testConfig({ legacy: { url: origin.url } }))
  const cases = [
    ['//api//Budgets///1', '/api/Budgets/1'],
    ['/api/./Budgets/x/../1', '/api/Budgets/1'],
    ['/api/%42udgets/%31', '/api/Budgets/1'],
    ['/API/BUDGETS/1?q=1', '/API/BUDGETS/1?q=1']
  ] as const
  for (const [raw, forwarded] of cases) {
    const res = await rawRequest(`${gw.url}${raw}`)
    const echo = JSON.parse(res.body.toString()) as { url: string }
    t.equal(res.status, 200, raw)
    t.equal(echo.url, forwarded, `${raw} is forwarded as ${forwarded}`)
    t.equal(res.headers['x-gateway-route'], 'budgets.get', `${raw} matches budgets.get`)
  }
})

t.test('a method the route does not list falls to the default route (legacy)', async (t) => {
  const origin = await startOrigin(t, echoHandler())
  const gw = await startTestGateway(t, testConfig({ legacy: { url: origin.url } }))
  const res = await rawRequest(`${gw.url}/api/users/1`, { method: 'DELETE' })
  t.equal(res.status, 200)
  t.equal(res.headers['x-gateway-route'], 'default')
  t.equal(res.headers['x-gateway-target'], 'legacy')
  t.equal((JSON.parse(res.body.toString()) as { method: string }).method, 'DELETE')
})
