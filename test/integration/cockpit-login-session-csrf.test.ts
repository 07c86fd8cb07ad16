// The cockpit's access: /ui is served by the admin listener only, with a strict CSP and
// X-Frame-Options: DENY; the login exchanges an admin token for an HttpOnly SameSite=Strict
// session cookie (named tokens keep `who`), the session reads the admin API, and a change needs
// the session's CSRF header; a wrong token is refused; logout ends the session.
import t from 'tap'
import { parseAdminTokens } from '../../gateway/src/ops/admin-auth.js'
import { createMemoryAuditLog } from '../../gateway/src/ops/audit-log.js'
import { createMemoryStateStore } from '../../gateway/src/ops/route-state-store.js'
import { RouteStateService } from '../../gateway/src/ops/route-state-service.js'
import { routeDefinitionsFrom } from '../../gateway/src/ops/route-state-setup.js'
import { CSP } from '../../gateway/src/cockpit/cockpit-ui.plugin.js'
import { echoHandler, startOrigin, startTestGateway, testConfig } from '../helpers/gateway.js'

const ALICE = 'alice-cockpit-token-0123456789'

async function world (t: Parameters<typeof startTestGateway>[0]): Promise<{ adminUrl: string, url: string, state: RouteStateService }> {
  const origin = await startOrigin(t, echoHandler())
  const config = testConfig({ legacy: { url: origin.url } })
  const audit = createMemoryAuditLog()
  const state = new RouteStateService({ store: createMemoryStateStore(), audit, routes: routeDefinitionsFrom(config.routes) })
  await state.init()
  const { tokens } = parseAdminTokens({ GATEWAY_ADMIN_TOKEN: 'main-token-0123456789', GATEWAY_ADMIN_TOKENS: `alice:${ALICE}` })
  const gw = await startTestGateway(t, config, { adminTokens: tokens, ops: { routeState: state, audit } })
  return { adminUrl: gw.adminUrl, url: gw.url, state }
}

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

t.test('the page: admin listener only, strict headers, only the listed files', async t => {
  const w = await world(t)
  const page = await fetch(`${w.adminUrl}/ui/`, { headers: { 'accept-encoding': 'identity' } })
  t.equal(page.status, 200)
  t.equal(page.headers.get('content-security-policy'), CSP)
  t.match(CSP, /script-src 'self'; style-src 'self'/)
  t.notMatch(CSP, /unsafe-inline|unsafe-eval/)
  t.equal(page.headers.get('x-frame-options'), 'DENY')
  t.equal(page.headers.get('x-content-type-options'), 'nosniff')
  const html = await page.text()
  t.match(html, /<script type="module" src="\/ui\/assets\/app\.js"><\/script>/)
  t.notMatch(html, /<script>|<style|style="| on[a-z]+="/, 'no inline script, style or handler')
  const gz = await fetch(`${w.adminUrl}/ui/assets/app.js`, { headers: { 'accept-encoding': 'gzip' } })
  t.equal(gz.status, 200)
  t.equal(gz.headers.get('content-type'), 'text/javascript; charset=utf-8')
  for (const path of ['/ui/assets/..%2Fsrc%2Fapp.ts', '/ui/assets/nope.js', '/ui/assets/index.html']) {
    t.equal((await fetch(w.adminUrl + path)).status, 404, path)
  }
  const pub = await fetch(`${w.url}/ui/`)
  t.equal(pub.headers.get('content-security-policy'), null, 'the public port does not serve the cockpit')
  t.equal(pub.headers.get('x-gateway-route'), 'default', 'it is routed to legacy like any unknown path')
})

t.test('login, session, CSRF, who, logout', async t => {
  const w = await world(t)
  const wrong = await fetch(`${w.adminUrl}/ui/login`, json({ token: 'not-the-token' }))
  t.equal(wrong.status, 401)
  t.equal(wrong.headers.get('set-cookie'), null)
  t.match(await wrong.json(), { code: 'GW_ERR_ADMIN_UNAUTHORIZED', detail: 'admin API: that token is not an admin token' })

  const login = await fetch(`${w.adminUrl}/ui/login`, json({ token: ALICE }))
  t.equal(login.status, 200)
  const setCookie = login.headers.get('set-cookie')!
  t.match(setCookie, /^gw_cockpit=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=(17\d\d|1800)$/)
  const body = await login.json() as { who: string, csrf: string }
  t.equal(body.who, 'alice')
  t.notMatch(JSON.stringify(body), ALICE, 'the token is not echoed')
  const cookie = setCookie.split(';')[0]!

  const session = await fetch(`${w.adminUrl}/ui/session`, { headers: { cookie } })
  t.match(await session.json(), { who: 'alice', csrf: body.csrf })
  const routes = await fetch(`${w.adminUrl}/admin/routes`, { headers: { cookie } })
  t.equal(routes.status, 200, 'the session reads the admin API')
  const version = w.state.version('budgets.get')!

  const patch = (headers: Record<string, string>): Promise<Response> => fetch(`${w.adminUrl}/admin/routes/budgets.get`, {
    method: 'PATCH', headers: { cookie, 'content-type': 'application/json', 'if-match': version, ...headers }, body: JSON.stringify({ target: 'lambda', reason: 'page' })
  })
  const noCsrf = await patch({})
  t.equal(noCsrf.status, 403)
  t.match(await noCsrf.json(), { code: 'GW_ERR_ADMIN_CSRF' })
  t.equal((await patch({ 'x-cockpit-csrf': 'wrong' })).status, 403)
  t.equal(w.state.get('budgets.get')?.target, 'legacy', 'nothing changed without the CSRF header')
  const ok = await patch({ 'x-cockpit-csrf': body.csrf })
  t.equal(ok.status, 200)
  t.match(await ok.json(), { audit: { who: 'alice', reason: 'page', routeId: 'budgets.get' } })

  t.equal((await fetch(`${w.adminUrl}/ui/logout`, { method: 'POST', headers: { cookie } })).status, 403, 'logout needs the CSRF header too')
  const out = await fetch(`${w.adminUrl}/ui/logout`, { method: 'POST', headers: { cookie, 'x-cockpit-csrf': body.csrf } })
  t.equal(out.status, 200)
  t.match(out.headers.get('set-cookie'), /^gw_cockpit=; .*Max-Age=0$/)
  t.equal((await fetch(`${w.adminUrl}/admin/routes`, { headers: { cookie } })).status, 401, 'the session is gone')
  t.equal((await fetch(`${w.adminUrl}/admin/routes`, { headers: { cookie: 'gw_cockpit=forged' } })).status, 401)
})

t.test('without the page files the admin API keeps working and /ui says why', async t => {
  const Fastify = (await import('fastify')).default
  const { cockpitUi } = await import('../../gateway/src/cockpit/cockpit-ui.plugin.js')
  const { SessionStore } = await import('../../gateway/src/cockpit/sessions.js')
  const app = Fastify()
  await app.register(cockpitUi, { tokens: [], sessions: new SessionStore(), assets: new Map() })
  t.teardown(() => app.close())
  const page = await app.inject('/ui/')
  t.equal(page.statusCode, 404)
  t.match(page.json(), { code: 'GW_ERR_ADMIN_NOT_FOUND', detail: 'the cockpit page files are not installed (gateway/cockpit-ui)' })
  t.equal(page.headers['x-frame-options'], 'DENY')
})
