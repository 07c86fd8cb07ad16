// Every change made through the admin API (route patch, reload, breaker open/close) is in
// GET /admin/audit, newest first, with who, when, what, before, after and why.
import t from 'tap'
import { ADMIN_TOKEN, ALICE_TOKEN, adminFetch, startAdmin } from '../helpers/ops.js'

t.test('route changes, reloads and breaker actions are audited completely', async t => {
  const h = await startAdmin(t)
  const patch = (body: unknown, token = ALICE_TOKEN): ReturnType<typeof adminFetch> =>
    adminFetch(h.url, '/admin/routes/users.get', { method: 'PATCH', token, body })
  t.equal((await patch({ shadow: { enabled: true }, reason: 'compare first' })).status, 200)
  h.clock.now += 60_000
  t.equal((await patch({ rolloutPercent: 10, reason: 'canary 10%' })).status, 200)
  t.equal((await patch({ target: 'legacy' }, ADMIN_TOKEN)).status, 200)
  t.equal((await adminFetch(h.url, '/admin/reload', { method: 'POST', token: ADMIN_TOKEN, body: { reason: 'new route' } })).status, 200)
  h.reloadResult.value = { ok: false, errors: ['routes.1.path: must start with /'] }
  const refused = await adminFetch(h.url, '/admin/reload', { method: 'POST', token: ADMIN_TOKEN })
  t.equal(refused.status, 400)
  t.match(refused.json, { code: 'GW_ERR_ADMIN_RELOAD_REFUSED', errors: [{ field: 'config', message: 'routes.1.path: must start with /' }] })
  t.equal((await adminFetch(h.url, '/admin/breakers/lambda:Users-dev/open', { method: 'POST', token: ADMIN_TOKEN })).status, 200)
  t.equal(h.breakers.states.get('lambda:Users-dev'), 'open')
  t.equal((await adminFetch(h.url, '/admin/breakers/lambda:Users-dev/close', { method: 'POST', token: ADMIN_TOKEN })).status, 200)
  t.equal((await adminFetch(h.url, '/admin/breakers/nope/open', { method: 'POST', token: ADMIN_TOKEN })).status, 404)

  const { json } = await adminFetch(h.url, '/admin/audit?limit=100', { token: ADMIN_TOKEN })
  const entries = json.entries as Array<Record<string, unknown>>
  t.same(entries.map(e => [e.action, e.who, e.routeId]), [
    ['breaker.close', 'admin', 'lambda:Users-dev'],
    ['breaker.open', 'admin', 'lambda:Users-dev'],
    ['config.reload.refused', 'admin', null],
    ['config.reload', 'admin', null],
    ['route.patch', 'admin', 'users.get'],
    ['route.patch', 'alice', 'users.get'],
    ['route.patch', 'alice', 'users.get']
  ], 'newest first; the unknown breaker left no entry')
  for (const e of entries) {
    t.match(e, { id: /^[0-9a-f-]{36}$/, time: /^\d{4}-\d\d-\d\dT/ }, `${String(e.action)} has id and time`)
    t.ok('before' in e && 'after' in e && 'reason' in e, `${String(e.action)} has before, after, reason`)
  }
  t.same(entries[5], {
    id: entries[5]!.id,
    time: '2026-01-01T00:01:00.000Z',
    who: 'alice',
    action: 'route.patch',
    routeId: 'users.get',
    before: { target: 'lambda', rolloutPercent: 100, shadow: { enabled: true } },
    after: { target: 'lambda', rolloutPercent: 10, shadow: { enabled: true } },
    reason: 'canary 10%'
  })
  t.same(entries[2]!.after, { errors: ['routes.1.path: must start with /'] })
  t.same(entries[3]!.reason, 'new route')
  t.same([entries[1]!.before, entries[1]!.after], [{ id: 'lambda:Users-dev', state: 'closed' }, { id: 'lambda:Users-dev', state: 'open' }])
  t.equal((await adminFetch(h.url, '/admin/audit?limit=2', { token: ADMIN_TOKEN })).json.entries.length, 2, 'limit honoured')
})

t.test('GET /admin/routes shows values, sources, stats and breakers', async t => {
  const h = await startAdmin(t)
  await adminFetch(h.url, '/admin/routes/users.get', { method: 'PATCH', token: ADMIN_TOKEN, body: { rolloutPercent: 25 } })
  h.routeState.lastHit.hitRoute('users.get')
  h.breakers.open('legacy')
  const { json } = await adminFetch(h.url, '/admin/routes', { token: ADMIN_TOKEN })
  t.equal(json.routes.length, 3)
  t.same(json.routes[0], {
    id: 'users.get',
    version: h.routeState.version('users.get'),
    methods: ['GET'],
    path: '/api/users/:id',
    lambdaFunction: 'Users-dev',
    target: 'lambda',
    rolloutPercent: 25,
    shadow: { enabled: false },
    sources: { target: 'config', rolloutPercent: 'runtime', 'shadow.enabled': 'config' },
    config: { target: 'lambda', rolloutPercent: 100, shadow: { enabled: false } },
    lastHit: '2026-01-01T00:00:00.000Z',
    stats: { legacy: { requests: 120, errorRate: 0.025, p95Ms: 48.2 }, lambda: { requests: 30, errorRate: 0, p95Ms: 12.5 } },
    breakers: { legacy: 'open', lambda: 'closed' }
  })
  t.match(json.routes[2], { id: 'billings.post', lambdaFunction: null, stats: null, breakers: { legacy: 'open', lambda: null } })
  const breakers = await adminFetch(h.url, '/admin/breakers', { token: ADMIN_TOKEN })
  t.same(breakers.json.breakers.map((b: { id: string }) => b.id), ['legacy', 'lambda:Users-dev', 'lambda:Projects-dev'])
})
