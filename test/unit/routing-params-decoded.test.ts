// Param values are percent-decoded (the Lambda gets `pathParameters` as API Gateway would give
// them); the wildcard captures the rest of the path; decoding never throws on odd input.
import t from 'tap'
import { compileRouteTable, matchRoute } from '../../gateway/src/routing/route-table.js'
import { normalizePath } from '../../gateway/src/routing/normalize-path.js'
import type { RouteConfig } from '../../gateway/src/config/schema.js'

const table = compileRouteTable([
  { id: 'budgets.get', methods: ['GET'], path: '/api/budgets/:projectId', target: 'legacy' },
  { id: 'files', methods: ['GET'], path: '/files/:bucket/*', target: 'legacy' }
] as RouteConfig[], { caseSensitive: false })

function params (rawPath: string): Record<string, string> | undefined {
  const n = normalizePath(rawPath)
  if (!n.ok) throw new Error(n.reason)
  return matchRoute(table, 'GET', n.path)?.params
}

t.test('percent-decoded values', async t => {
  t.same(params('/api/budgets/a%20b'), { projectId: 'a b' })
  t.same(params('/api/budgets/caf%C3%A9'), { projectId: 'café' })
  t.same(params('/api/budgets/%3Bx%3F'), { projectId: ';x?' })
  t.same(params('/api/budgets/100%25'), { projectId: '100%' })
  t.same(params('/api/budgets/%31'), { projectId: '1' }, 'unreserved decoded by normalisation already')
})

t.test('wildcard captures the remaining segments, decoded', async t => {
  t.same(params('/files/b1/a/b%20c/d.txt'), { bucket: 'b1', '*': 'a/b c/d.txt' })
  t.same(params('/files/b1'), { bucket: 'b1', '*': '' })
})

t.test('un-normalised input does not throw', async t => {
  t.same(matchRoute(table, 'GET', '/api/budgets/%E0%A4%A'), { route: table.routes[0], params: { projectId: '%E0%A4%A' } })
})
