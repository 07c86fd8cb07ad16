// The most specific route wins, whatever the config order: at the first segment where two
// routes differ, static beats :param beats a trailing *; a longer static prefix beats a shorter.
import t from 'tap'
import { compileRouteTable, matchRoute } from '../../gateway/src/routing/route-table.js'
import type { RouteConfig } from '../../gateway/src/config/schema.js'

const r = (id: string, path: string, methods: RouteConfig['methods'] = ['GET']): RouteConfig =>
  ({ id, methods, path, target: 'legacy' }) as RouteConfig

// Deliberately listed from least to most specific: order in the file must not matter.
const routes = [
  r('catch-all', '/*'),
  r('api.any', '/api/*'),
  r('kind.list', '/api/:kind/list'),
  r('kind.item', '/api/:kind/:id'),
  r('users.rest', '/api/users/*'),
  r('users.get', '/api/users/:id'),
  r('users.me', '/api/users/me'),
  r('users.list', '/api/users'),
  r('users.orders', '/api/users/:id/orders'),
  r('root', '/')
]
const table = compileRouteTable(routes, { caseSensitive: false })

const cases: Array<[string, string, Record<string, string>]> = [
  ['/api/users', 'users.list', {}],
  ['/api/users/me', 'users.me', {}],
  ['/api/users/42', 'users.get', { id: '42' }],
  ['/api/users/42/orders', 'users.orders', { id: '42' }],
  ['/api/users/42/orders/7', 'users.rest', { '*': '42/orders/7' }],
  ['/api/users/list', 'users.get', { id: 'list' }], // static `users` at segment 2 beats `:kind`
  ['/api/projects/list', 'kind.list', { kind: 'projects' }],
  ['/api/projects/9', 'kind.item', { kind: 'projects', id: '9' }],
  ['/api/projects/9/x', 'api.any', { '*': 'projects/9/x' }],
  ['/api', 'api.any', { '*': '' }], // a trailing * matches zero segments too
  ['/other/thing', 'catch-all', { '*': 'other/thing' }],
  ['/', 'root', {}]
]

t.test('the most specific route wins', async t => {
  for (const [path, id, params] of cases) {
    const m = matchRoute(table, 'GET', path)
    t.same(m && { id: m.route.id, params: m.params }, { id, params }, `${path} → ${id}`)
  }
})

t.test('the result does not depend on the order of the routes', async t => {
  const reversed = compileRouteTable([...routes].reverse(), { caseSensitive: false })
  for (const [path, id] of cases) t.equal(matchRoute(reversed, 'GET', path)?.route.id, id, path)
})

t.test('backtracking: a dead-end static branch falls back to a param branch', async t => {
  const t2 = compileRouteTable([r('a', '/x/static/deep'), r('b', '/x/:p/other')], { caseSensitive: false })
  t.same(matchRoute(t2, 'GET', '/x/static/other'), { route: t2.routes[1], params: { p: 'static' } })
  t.equal(matchRoute(t2, 'GET', '/x/static/deep')?.route.id, 'a')
  t.equal(matchRoute(t2, 'GET', '/x/static'), undefined)
})

t.test('no match → undefined (the caller sends it to legacy)', async t => {
  const t3 = compileRouteTable([r('users.get', '/api/users/:id')], { caseSensitive: false })
  t.equal(matchRoute(t3, 'GET', '/api/users'), undefined)
  t.equal(matchRoute(t3, 'GET', '/api/users/1/2'), undefined)
  t.equal(matchRoute(t3, 'GET', '/api/budgets/1'), undefined)
  t.equal(matchRoute(compileRouteTable([], { caseSensitive: false }), 'GET', '/'), undefined)
})
