// Optimistic concurrency on the admin API: every route has a version (ETag on GET, `version` in
// the list), a PATCH with a stale If-Match is refused with 412 GW_ERR_ADMIN_STALE and changes
// nothing, and gatewayctl sends the version it read so a change made in between is not overwritten.
import t from 'tap'
import { run } from '../../gateway/src/cli/main.js'
import { ADMIN_TOKEN, adminFetch, startAdmin } from '../helpers/ops.js'

const PATH = '/admin/routes/users.get'

t.test('GET gives an ETag equal to version; the list carries the same versions', async t => {
  const h = await startAdmin(t)
  const one = await adminFetch(h.url, PATH, { token: ADMIN_TOKEN })
  t.equal(one.status, 200)
  t.match(one.headers.get('etag'), /^"[0-9a-f]{16}"$/)
  t.equal(one.json.route.version, one.headers.get('etag'))
  const list = await adminFetch(h.url, '/admin/routes', { token: ADMIN_TOKEN })
  t.equal(list.json.routes.find((r: { id: string }) => r.id === 'users.get').version, one.json.route.version)
  const versions = new Set(list.json.routes.map((r: { version: string }) => r.version))
  t.equal(versions.size, 3, 'routes with different settings have different versions')
})

t.test('PATCH with the current If-Match applies and returns the new ETag; a stale one is 412', async t => {
  const h = await startAdmin(t)
  const v1 = (await adminFetch(h.url, PATH, { token: ADMIN_TOKEN })).headers.get('etag')!
  const ok = await fetch(h.url + PATH, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', 'if-match': v1 },
    body: JSON.stringify({ rolloutPercent: 25, reason: 'canary' })
  })
  t.equal(ok.status, 200)
  const body = await ok.json() as { route: { version: string, rolloutPercent: number } }
  const v2 = ok.headers.get('etag')!
  t.not(v2, v1, 'a change gives a new version')
  t.equal(body.route.version, v2)
  t.equal(body.route.rolloutPercent, 25)

  const auditBefore = (await h.audit.list({ limit: 100 })).length
  const stale = await fetch(h.url + PATH, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', 'if-match': v1 },
    body: JSON.stringify({ target: 'legacy', reason: 'from an old page' })
  })
  t.equal(stale.status, 412)
  t.equal(stale.headers.get('content-type'), 'application/problem+json')
  const problem = await stale.json() as Record<string, unknown>
  t.match(problem, {
    status: 412,
    code: 'GW_ERR_ADMIN_STALE',
    detail: `route "users.get" changed since it was read (If-Match ${v1}, now ${v2}): read it again and retry`
  })
  t.equal(h.routeState.get('users.get')?.target, 'lambda', 'nothing changed')
  t.equal((await h.audit.list({ limit: 100 })).length, auditBefore, 'nothing audited')

  for (const header of ['*', `"0000000000000000", ${v2}`]) {
    const r = await fetch(h.url + PATH, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', 'if-match': header },
      body: JSON.stringify({ rolloutPercent: 25 })
    })
    t.equal(r.status, 200, `If-Match: ${header} matches`)
  }
  const weak = await fetch(h.url + PATH, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', 'if-match': `W/${v2}` },
    body: JSON.stringify({ rolloutPercent: 30 })
  })
  t.equal(weak.status, 412, 'a weak tag never matches (RFC 9110 strong comparison)')
})

t.test('two PATCHes with the same If-Match: exactly one wins', async t => {
  const h = await startAdmin(t)
  const v1 = (await adminFetch(h.url, PATH, { token: ADMIN_TOKEN })).headers.get('etag')!
  const send = (percent: number): Promise<Response> => fetch(h.url + PATH, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', 'if-match': v1 },
    body: JSON.stringify({ rolloutPercent: percent })
  })
  const statuses = (await Promise.all([send(10), send(20)])).map(r => r.status).sort()
  t.same(statuses, [200, 412])
})

t.test('gatewayctl sends the version it read: a change in between is refused with exit 7', async t => {
  const h = await startAdmin(t)
  const seen: string[] = []
  // Between gatewayctl's GET and its PATCH, another operator changes the route.
  const racingFetch: typeof fetch = async (input, init) => {
    const res = await fetch(input, init)
    const method = init?.method ?? 'GET'
    seen.push(`${method} ${new Headers(init?.headers).get('if-match') ?? '-'}`)
    if (method === 'GET') await h.routeState.patch('users.get', { rolloutPercent: 5 }, { who: 'bob', reason: 'racing' })
    return res
  }
  let stderr = ''
  const code = await run(['flip', 'users.get', 'legacy', '--reason', 'r'], {
    env: { GATEWAY_ADMIN_URL: h.url, GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN },
    stdout: () => {},
    stderr: s => { stderr += s },
    fetch: racingFetch
  })
  t.equal(code, 7)
  t.match(stderr, /^gatewayctl: route "users\.get" changed since it was read \(If-Match "[0-9a-f]{16}", now "[0-9a-f]{16}"\): read it again and retry; nothing was changed\n$/)
  t.match(seen, [/^GET -$/, /^PATCH "[0-9a-f]{16}"$/])
  t.equal(h.routeState.get('users.get')?.target, 'lambda', 'the flip was not applied over the other change')
})
