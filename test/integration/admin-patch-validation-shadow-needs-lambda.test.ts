// PATCH /admin/routes/:id with shadow on for a route without a lambda block is a 400 naming
// shadow.enabled (the dispatcher would skip the route silently), nothing changes and nothing is
// audited; turning it off stays allowed; gatewayctl shows the field and exits 6.
import t from 'tap'
import { ADMIN_TOKEN, adminFetch, startAdmin } from '../helpers/ops.js'
import { bundleCli, spawnCli } from '../helpers/ops-cli.js'

const MESSAGE = 'this route has no lambda block in the config: shadowing needs both sides, add one before turning shadow on'

t.test('shadow on without a lambda block: 400 on shadow.enabled, nothing changed', async t => {
  const h = await startAdmin(t)
  const res = await adminFetch(h.url, '/admin/routes/billings.post', { method: 'PATCH', token: ADMIN_TOKEN, body: { shadow: { enabled: true } } })
  t.equal(res.status, 400)
  t.match(res.headers.get('content-type'), /^application\/problem\+json/)
  t.match(res.json, { code: 'GW_ERR_ADMIN_VALIDATION', status: 400 })
  t.same(res.json.errors, [{ field: 'shadow.enabled', message: MESSAGE }])
  t.equal(h.routeState.get('billings.post')?.shadow.enabled, false)
  t.equal((await h.audit.list()).length, 0, 'a refused change is not audited')

  const off = await adminFetch(h.url, '/admin/routes/billings.post', { method: 'PATCH', token: ADMIN_TOKEN, body: { shadow: { enabled: false } } })
  t.equal(off.status, 200, 'shadow off stays allowed')
  const withLambda = await adminFetch(h.url, '/admin/routes/users.get', { method: 'PATCH', token: ADMIN_TOKEN, body: { shadow: { enabled: true } } })
  t.equal(withLambda.status, 200, 'a route with a lambda block can be shadowed')
  t.equal(h.routeState.get('users.get')?.shadow.enabled, true)
})

t.test('gatewayctl shadow <route> on: exit 6 naming the field', async t => {
  const h = await startAdmin(t)
  const bundle = await bundleCli(t)
  const r = await spawnCli(bundle, ['shadow', 'billings.post', 'on'], { GATEWAY_ADMIN_URL: h.url, GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN })
  t.same(r, { code: 6, stdout: '', stderr: `gatewayctl: invalid request:\n  shadow.enabled: ${MESSAGE}\n` })
  t.equal(h.routeState.get('billings.post')?.shadow.enabled, false)
})
