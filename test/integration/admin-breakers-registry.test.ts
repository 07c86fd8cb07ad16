// The admin breaker routes drive the protection area's real BreakerRegistry through
// breakerControlFrom, audited; without a registry the plugin serves no breaker routes, so another
// plugin can own them without a route clash.
import t from 'tap'
import Fastify from 'fastify'
import { BreakerRegistry } from '../../gateway/src/protection/breaker-registry.js'
import { adminRoutes } from '../../gateway/src/ops/admin-routes.plugin.js'
import { breakerControlFrom } from '../../gateway/src/ops/admin-routes-breakers.js'
import { createMemoryAuditLog } from '../../gateway/src/ops/audit-log.js'
import { createMemoryStateStore } from '../../gateway/src/ops/route-state-store.js'
import { RouteStateService } from '../../gateway/src/ops/route-state-service.js'
import { parseAdminTokens } from '../../gateway/src/ops/admin-auth.js'
import { ADMIN_TOKEN, OPS_ROUTES, adminFetch, startAdmin } from '../helpers/ops.js'

t.test('force open and close a real breaker, audited', async t => {
  const registry = new BreakerRegistry()
  t.teardown(() => registry.close())
  registry.get('legacy')
  registry.get('lambda:Users-dev')
  const h = await startAdmin(t, { breakers: breakerControlFrom(registry) })
  const list = await adminFetch(h.url, '/admin/breakers', { token: ADMIN_TOKEN })
  t.same(list.json.breakers.map((b: { id: string, state: string }) => [b.id, b.state]), [['legacy', 'closed'], ['lambda:Users-dev', 'closed']])
  const open = await adminFetch(h.url, '/admin/breakers/lambda:Users-dev/open', { method: 'POST', token: ADMIN_TOKEN })
  t.equal(open.status, 200)
  t.equal(registry.state('lambda:Users-dev'), 'open')
  t.match(open.json, { breaker: { id: 'lambda:Users-dev', state: 'open', forced: 'open' }, audit: { action: 'breaker.open', who: 'admin' } })
  const route = await adminFetch(h.url, '/admin/routes/users.get', { token: ADMIN_TOKEN })
  t.same(route.json.route.breakers, { legacy: 'closed', lambda: 'open' }, 'the route view shows it')
  t.equal((await adminFetch(h.url, '/admin/breakers/lambda:Users-dev/close', { method: 'POST', token: ADMIN_TOKEN })).status, 200)
  t.equal(registry.state('lambda:Users-dev'), 'closed')
  t.equal((await adminFetch(h.url, '/admin/breakers/lambda:Nope/open', { method: 'POST', token: ADMIN_TOKEN })).status, 404)
  t.notOk(registry.has('lambda:Nope'), 'an unknown id does not create a breaker')
  t.same((await h.audit.list()).map(e => e.action), ['breaker.close', 'breaker.open'])
})

t.test('without a registry: no breaker routes, breakers null in views', async t => {
  const h = await startAdmin(t, { breakers: null })
  t.equal((await adminFetch(h.url, '/admin/breakers', { token: ADMIN_TOKEN })).status, 404)
  const route = await adminFetch(h.url, '/admin/routes/users.get', { token: ADMIN_TOKEN })
  t.same(route.json.route.breakers, { legacy: null, lambda: null })
})

t.test('adminRoutes(opts) binds the options for an option-less plugin seam', async t => {
  const audit = createMemoryAuditLog()
  const routeState = new RouteStateService({ store: createMemoryStateStore(), audit, routes: OPS_ROUTES })
  await routeState.init()
  const app = Fastify()
  t.teardown(() => app.close())
  const plugins = [adminRoutes({ routeState, audit, tokens: parseAdminTokens({ GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN }).tokens, reload: async () => ({ ok: true }) })]
  for (const plugin of plugins) await app.register(plugin)
  const res = await app.inject({ method: 'GET', url: '/admin/routes', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
  t.equal(res.statusCode, 200)
  t.equal(res.json().routes.length, 3)
  t.equal((await app.inject({ method: 'GET', url: '/admin/routes' })).statusCode, 401, 'inject: no token, 401')
})

t.test('flipping a route without a lambda block to lambda is refused', async t => {
  const h = await startAdmin(t)
  const res = await adminFetch(h.url, '/admin/routes/billings.post', { method: 'PATCH', token: ADMIN_TOKEN, body: { target: 'lambda' } })
  t.equal(res.status, 400)
  t.same(res.json.errors, [{ field: 'target', message: 'this route has no lambda block in the config: add one before flipping it to lambda' }])
  t.equal(h.routeState.get('billings.post')?.target, 'legacy')
})
