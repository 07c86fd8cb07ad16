// The ops pieces wired into the real gateway build(): the route state service is the app's
// routeState and the admin plugin rides the adminPlugins seam. A flip through the admin port
// takes effect on the next public request; the admin API is not reachable through the public
// port (an /admin/ path there is ordinary traffic for the default route).
import t from 'tap'
import { adminRoutes } from '../../gateway/src/ops/admin-routes.plugin.js'
import { parseAdminTokens } from '../../gateway/src/ops/admin-auth.js'
import { createMemoryAuditLog } from '../../gateway/src/ops/audit-log.js'
import { createMemoryStateStore } from '../../gateway/src/ops/route-state-store.js'
import { RouteStateService } from '../../gateway/src/ops/route-state-service.js'
import { routeDefinitionsFrom } from '../../gateway/src/ops/route-state-setup.js'
import { echoHandler, startOrigin, startTestGateway, testConfig } from '../helpers/gateway.js'
import { ADMIN_TOKEN, adminFetch } from '../helpers/ops.js'

t.test('flip via the admin port, observed on the public port', async t => {
  const legacy = await startOrigin(t, echoHandler())
  const config = testConfig({ legacy: { url: legacy.url } })
  const audit = createMemoryAuditLog()
  const routeState = new RouteStateService({ store: createMemoryStateStore(), audit, routes: routeDefinitionsFrom(config.routes) })
  await routeState.init()
  const { tokens } = parseAdminTokens({ GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN })
  const gw = await startTestGateway(t, config, {
    routeState,
    adminTokens: tokens,
    adminPlugins: [adminRoutes({ routeState, audit, tokens, reload: async () => ({ ok: true }) })]
  })

  const before = await fetch(`${gw.url}/api/budgets/1`)
  t.equal(before.headers.get('x-gateway-target'), 'legacy')
  await before.arrayBuffer()

  const flip = await adminFetch(gw.adminUrl, '/admin/routes/budgets.get', { method: 'PATCH', token: ADMIN_TOKEN, body: { target: 'lambda', reason: 'try' } })
  t.equal(flip.status, 200)
  const after = await fetch(`${gw.url}/api/budgets/1`)
  t.equal(after.headers.get('x-gateway-target'), 'lambda', 'the very next request follows the flip')
  await after.arrayBuffer()

  const back = await adminFetch(gw.adminUrl, '/admin/routes/budgets.get', { method: 'PATCH', token: ADMIN_TOKEN, body: { target: 'legacy', reason: 'rollback' } })
  t.equal(back.status, 200)
  const rolledBack = await fetch(`${gw.url}/api/budgets/1`)
  t.equal(rolledBack.headers.get('x-gateway-target'), 'legacy')
  t.equal(rolledBack.status, 200)
  await rolledBack.arrayBuffer()
  t.same((await audit.list()).map(e => e.reason), ['rollback', 'try'])
})

t.test('the public port does not serve the admin API, token or not', async t => {
  const legacy = await startOrigin(t, echoHandler())
  const config = testConfig({ legacy: { url: legacy.url } })
  const audit = createMemoryAuditLog()
  const routeState = new RouteStateService({ store: createMemoryStateStore(), audit, routes: routeDefinitionsFrom(config.routes) })
  await routeState.init()
  const { tokens } = parseAdminTokens({ GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN })
  const gw = await startTestGateway(t, config, {
    routeState,
    adminTokens: tokens,
    adminPlugins: [adminRoutes({ routeState, audit, tokens, reload: async () => ({ ok: true }) })]
  })
  const res = await fetch(`${gw.url}/admin/routes/users.get`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ target: 'legacy' })
  })
  t.equal(res.headers.get('x-gateway-route'), 'default', 'plain traffic for the default route (legacy)')
  const echoed = await res.json() as { url: string }
  t.equal(echoed.url, '/admin/routes/users.get', 'it reached the legacy origin, not the admin API')
  t.equal(routeState.get('users.get')?.target, 'lambda', 'nothing changed')
  t.equal((await audit.list()).length, 0)
  const admin = await adminFetch(gw.adminUrl, '/admin/routes/users.get', { token: ADMIN_TOKEN })
  t.equal(admin.status, 200, 'while the admin port serves it')
})
