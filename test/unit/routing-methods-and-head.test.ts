// The method is part of the match: a route only serves the methods it lists, and the most
// specific route that accepts the method wins. HEAD is served by a GET route (same resource,
// same answer without a body) unless a route lists HEAD itself at the same place.
import t from 'tap'
import { compileRouteTable, matchRoute } from '../../gateway/src/routing/route-table.js'
import type { RouteConfig } from '../../gateway/src/config/schema.js'

const r = (id: string, path: string, methods: RouteConfig['methods']): RouteConfig =>
  ({ id, methods, path, target: 'legacy' }) as RouteConfig

const table = compileRouteTable([
  r('users.get', '/api/users/:id', ['GET']),
  r('users.update', '/api/users/:id', ['PUT', 'PATCH']),
  r('projects.create', '/api/projects', ['POST']),
  r('projects.head', '/api/projects', ['HEAD']),
  r('projects.list', '/api/projects', ['GET']),
  r('api.delete', '/api/*', ['DELETE'])
], { caseSensitive: false })

const id = (method: string, path: string): string | undefined => matchRoute(table, method, path)?.route.id

t.test('method mismatch → undefined (legacy)', async t => {
  t.equal(id('POST', '/api/users/1'), undefined)
  t.equal(id('OPTIONS', '/api/users/1'), undefined)
  t.equal(id('GET', '/api/projects/1'), undefined)
})

t.test('routes on the same path split by method', async t => {
  t.equal(id('GET', '/api/users/1'), 'users.get')
  t.equal(id('PUT', '/api/users/1'), 'users.update')
  t.equal(id('PATCH', '/api/users/1'), 'users.update')
  t.equal(id('POST', '/api/projects'), 'projects.create')
})

t.test('a less specific route that accepts the method wins over a more specific one that does not', async t => {
  t.equal(id('DELETE', '/api/users/1'), 'api.delete')
  t.same(matchRoute(table, 'DELETE', '/api/users/1')?.params, { '*': 'users/1' })
})

t.test('HEAD: served by the GET route, unless a HEAD route sits at the same place', async t => {
  t.equal(id('HEAD', '/api/users/1'), 'users.get')
  t.equal(id('HEAD', '/api/projects'), 'projects.head')
})

t.test('methods are matched as sent (HTTP methods are case-sensitive)', async t => {
  t.equal(id('get', '/api/users/1'), undefined)
})
