// Matching is case-insensitive by default (ASP.NET routing is) and case-sensitive on request;
// params keep the case they were sent in. A trailing slash does not change the match:
// `/api/users/` matches `/api/users` (ASP.NET treats them alike).
import t from 'tap'
import { compileRouteTable, matchRoute } from '../../gateway/src/routing/route-table.js'
import type { RouteConfig } from '../../gateway/src/config/schema.js'

const routes = [
  { id: 'users.list', methods: ['GET'], path: '/api/users', target: 'lambda' },
  { id: 'users.get', methods: ['GET'], path: '/api/Users/:id', target: 'lambda' }
] as RouteConfig[]

t.test('case-insensitive by default; params keep their case', async t => {
  const table = compileRouteTable(routes, { caseSensitive: false })
  t.equal(matchRoute(table, 'GET', '/API/USERS')?.route.id, 'users.list')
  t.same(matchRoute(table, 'GET', '/Api/users/AbC'), { route: routes[1], params: { id: 'AbC' } })
})

t.test('case-sensitive when configured', async t => {
  const table = compileRouteTable(routes, { caseSensitive: true })
  t.equal(matchRoute(table, 'GET', '/API/users'), undefined)
  t.equal(matchRoute(table, 'GET', '/api/users')?.route.id, 'users.list')
  t.equal(matchRoute(table, 'GET', '/api/users/1'), undefined)
  t.equal(matchRoute(table, 'GET', '/api/Users/1')?.route.id, 'users.get')
})

t.test('a trailing slash matches the route without it', async t => {
  const table = compileRouteTable(routes, { caseSensitive: false })
  t.equal(matchRoute(table, 'GET', '/api/users/')?.route.id, 'users.list')
  t.same(matchRoute(table, 'GET', '/api/users/7/')?.params, { id: '7' })
  t.equal(matchRoute(table, 'GET', '/api/users//'), undefined, 'only one trailing slash (normalizePath folds doubles)')
})
