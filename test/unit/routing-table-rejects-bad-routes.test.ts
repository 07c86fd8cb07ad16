// compileRouteTable refuses invalid patterns and ambiguous overlaps itself (for callers that
// did not come through loadConfig), naming each route by index and id.
import t from 'tap'
import { compileRouteTable } from '../../gateway/src/routing/route-table.js'
import { parsePathPattern } from '../../gateway/src/routing/path-pattern.js'
import type { RouteConfig } from '../../gateway/src/config/schema.js'
import { problemsOf, thrown } from '../helpers/config.js'

const r = (id: string, path: string, methods: RouteConfig['methods'] = ['GET']): RouteConfig =>
  ({ id, methods, path, target: 'legacy' }) as RouteConfig

t.test('ambiguous routes and bad patterns throw ConfigInvalidError with route ids', async t => {
  const err = thrown(() => compileRouteTable([
    r('users.get', '/api/users/:id', ['GET', 'PUT']),
    r('users.put', '/api/users/:userId', ['PUT']),
    r('broken', '/api/*/users')
  ], { caseSensitive: false }))
  t.equal(err.code, 'GW_ERR_CONFIG_INVALID')
  t.same(problemsOf(err), [
    { path: 'routes[1].path', message: 'expected a path no earlier PUT route matches with the same specificity, found "/api/users/:userId" (ambiguous with routes[0] users.get "/api/users/:id")' },
    { path: 'routes[2].path', message: 'expected a path pattern with * only as the last segment, found "/api/*/users"' }
  ])
})

t.test('two wildcards at the same place are ambiguous; HEAD next to GET is not', async t => {
  t.same(problemsOf(thrown(() => compileRouteTable([r('a', '/api/*'), r('b', '/API/*')], { caseSensitive: false }))).map(p => p.path), ['routes[1].path'])
  t.equal(compileRouteTable([r('a', '/x', ['GET']), r('b', '/x', ['HEAD'])], { caseSensitive: false }).routes.length, 2)
})

t.test('pattern syntax', async t => {
  t.same(parsePathPattern('/'), { ok: true, segments: [] })
  t.same(parsePathPattern('/api/users/:id/*'), {
    ok: true,
    segments: [{ kind: 'static', value: 'api' }, { kind: 'static', value: 'users' }, { kind: 'param', name: 'id' }, { kind: 'wildcard' }]
  })
  const reasons: Array<[string, string]> = [
    ['users', 'a leading /'],
    ['//x', 'no empty segments and no trailing /'],
    ['/x/', 'no empty segments and no trailing /'],
    ['/*/x', '* only as the last segment'],
    ['/x*', 'static segments of letters, digits and - . _ ~ only (params are whole :name segments, * only as the last segment)'],
    ['/:', ':name params named with letters, digits and _'],
    ['/:1d', ':name params named with letters, digits and _'],
    ['/:__proto__', ':name params named with letters, digits and _'],
    ['/:a/:a', 'unique param names (:a is used twice)'],
    ['/a/../b', 'no . or .. segments'],
    ['/a%2Fb', 'static segments of letters, digits and - . _ ~ only (params are whole :name segments, * only as the last segment)']
  ]
  for (const [pattern, reason] of reasons) t.same(parsePathPattern(pattern), { ok: false, reason }, pattern)
})
