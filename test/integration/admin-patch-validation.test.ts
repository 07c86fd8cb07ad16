// PATCH /admin/routes/:id validates with problem+json naming each field; an unknown route is 404.
import t from 'tap'
import { ADMIN_TOKEN, adminFetch, startAdmin } from '../helpers/ops.js'

t.test('invalid and unknown fields: 400 listing every field, nothing changed', async t => {
  const h = await startAdmin(t)
  const res = await adminFetch(h.url, '/admin/routes/users.get', {
    method: 'PATCH', token: ADMIN_TOKEN, body: { target: 'azure', rolloutPercent: 150, shadow: { enabled: 'yes', mode: 'x' }, colour: 'red' }
  })
  t.equal(res.status, 400)
  t.match(res.headers.get('content-type'), /^application\/problem\+json/)
  t.match(res.json, { code: 'GW_ERR_ADMIN_VALIDATION', status: 400, title: 'Bad Request', type: 'urn:strangler-gateway:problem:admin-validation' })
  const byField = Object.fromEntries(res.json.errors.map((e: { field: string, message: string }) => [e.field, e.message]))
  t.same(byField, {
    target: 'must be "legacy" or "lambda" or null',
    rolloutPercent: 'must be a number from 0 to 100 or null',
    'shadow.mode': 'unknown field',
    'shadow.enabled': 'must be boolean or null',
    colour: 'unknown field'
  })
  for (const field of Object.keys(byField)) t.match(res.json.detail, field, `detail names ${field}`)
  t.equal(h.routeState.get('users.get')?.rolloutPercent, 100)
})

t.test('an empty change, a non-object body and broken JSON are 400 problems', async t => {
  const h = await startAdmin(t)
  const empty = await adminFetch(h.url, '/admin/routes/users.get', { method: 'PATCH', token: ADMIN_TOKEN, body: { reason: 'nothing' } })
  t.equal(empty.status, 400)
  t.same(empty.json.errors, [{ field: '(body)', message: 'nothing to change: give target, rolloutPercent or shadow.enabled' }])
  const array = await adminFetch(h.url, '/admin/routes/users.get', { method: 'PATCH', token: ADMIN_TOKEN, body: [1] })
  t.equal(array.status, 400)
  t.equal(array.json.errors[0].field, '(body)')
  const broken = await fetch(`${h.url}/admin/routes/users.get`, {
    method: 'PATCH', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: '{"target":'
  })
  t.equal(broken.status, 400)
  t.match(await broken.json(), { code: 'GW_ERR_ADMIN_VALIDATION', status: 400 })
})

t.test('unknown route: 404 problem for GET and PATCH', async t => {
  const h = await startAdmin(t)
  for (const method of ['GET', 'PATCH']) {
    const res = await adminFetch(h.url, '/admin/routes/nope.get', { method, token: ADMIN_TOKEN, body: method === 'PATCH' ? { target: 'legacy' } : undefined })
    t.equal(res.status, 404, method)
    t.match(res.json, { code: 'GW_ERR_ADMIN_NOT_FOUND', detail: 'unknown route "nope.get"' })
  }
  t.equal((await h.audit.list()).length, 0)
})

t.test('null clears a runtime override back to the config value', async t => {
  const h = await startAdmin(t)
  await adminFetch(h.url, '/admin/routes/users.get', { method: 'PATCH', token: ADMIN_TOKEN, body: { target: 'legacy' } })
  const res = await adminFetch(h.url, '/admin/routes/users.get', { method: 'PATCH', token: ADMIN_TOKEN, body: { target: null, reason: 'back to config' } })
  t.equal(res.status, 200)
  t.equal(res.json.route.target, 'lambda')
  t.equal(res.json.route.sources.target, 'config')
})

t.test('query validation: audit limit and unused days', async t => {
  const h = await startAdmin(t)
  t.same((await adminFetch(h.url, '/admin/audit?limit=0', { token: ADMIN_TOKEN })).json.errors, [{ field: 'limit', message: 'Expected integer to be greater or equal to 1' }])
  t.equal((await adminFetch(h.url, '/admin/audit?limit=5&x=1', { token: ADMIN_TOKEN })).json.errors[0].field, 'x')
  t.equal((await adminFetch(h.url, '/admin/unused', { token: ADMIN_TOKEN })).json.errors[0].field, 'days')
  t.equal((await adminFetch(h.url, '/admin/breakers/legacy/toggle', { method: 'POST', token: ADMIN_TOKEN })).status, 400)
})
