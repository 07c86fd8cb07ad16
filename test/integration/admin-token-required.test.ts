// The admin API on a real listener refuses calls without a token or with a wrong one (401
// problem+json with WWW-Authenticate), accepts the right tokens, and leaves /healthz open.
import t from 'tap'
import { ADMIN_TOKEN, ALICE_TOKEN, adminFetch, startAdmin } from '../helpers/ops.js'

const PATHS: Array<[string, string]> = [
  ['GET', '/admin/routes'], ['GET', '/admin/routes/users.get'], ['PATCH', '/admin/routes/users.get'],
  ['GET', '/admin/audit'], ['POST', '/admin/reload'], ['GET', '/admin/breakers'],
  ['POST', '/admin/breakers/legacy/open'], ['GET', '/admin/unused?days=1'], ['GET', '/admin/does-not-exist']
]

t.test('no token and wrong tokens get 401 on every admin endpoint', async t => {
  const h = await startAdmin(t)
  for (const [method, path] of PATHS) {
    for (const token of [undefined, 'wrong-token', ADMIN_TOKEN.slice(0, -1), ADMIN_TOKEN + 'x']) {
      const res = await adminFetch(h.url, path, { method, token, body: method === 'PATCH' ? { target: 'legacy' } : undefined })
      if (res.status !== 401) t.fail(`${method} ${path} with ${String(token)}: ${res.status}`)
    }
  }
  const res = await adminFetch(h.url, '/admin/routes', { token: 'wrong-token' })
  t.equal(res.status, 401)
  t.equal(res.headers.get('www-authenticate'), 'Bearer realm="gateway-admin"')
  t.match(res.headers.get('content-type'), /^application\/problem\+json/)
  t.same(res.json, {
    type: 'urn:strangler-gateway:problem:admin-unauthorized',
    title: 'Unauthorized',
    status: 401,
    detail: 'admin API: invalid bearer token',
    code: 'GW_ERR_ADMIN_UNAUTHORIZED',
    requestId: res.json.requestId
  })
  t.equal(h.routeState.get('users.get')?.target, 'lambda', 'the refused PATCHes changed nothing')
  t.equal((await h.audit.list()).length, 0, 'and audited nothing')
})

t.test('the right tokens pass; the token name is who', async t => {
  const h = await startAdmin(t)
  t.equal((await adminFetch(h.url, '/admin/routes', { token: ADMIN_TOKEN })).status, 200)
  const res = await adminFetch(h.url, '/admin/routes/users.get', { method: 'PATCH', token: ALICE_TOKEN, body: { rolloutPercent: 50 } })
  t.equal(res.status, 200)
  t.equal(res.json.audit.who, 'alice')
  t.equal((await adminFetch(h.url, '/admin/does-not-exist', { token: ADMIN_TOKEN })).status, 404, 'authenticated unknown path: 404')
})

t.test('/healthz stays open: the auth hook is scoped to /admin/', async t => {
  const h = await startAdmin(t)
  const res = await adminFetch(h.url, '/healthz')
  t.equal(res.status, 200)
})
