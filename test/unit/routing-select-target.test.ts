// Target selection is a pure function of (route, runtime state, request): the state's target
// (an ops flip) overrides the configured one; a route without a lambda block can only go to
// legacy whatever the state says.
import t from 'tap'
import { selectTarget } from '../../gateway/src/routing/select-target.js'
import type { TargetRequest } from '../../gateway/src/routing/select-target.js'
import type { RouteConfig } from '../../gateway/src/config/schema.js'

const req: TargetRequest = { method: 'GET', path: '/api/budgets/1', headers: { 'x-user-id': 'u1' } }
const budget = { id: 'budgets.get', methods: ['GET'], path: '/api/budgets/:projectId', target: 'legacy', lambda: { function: 'Budget-DEV', timeoutMs: 3000, qualifier: '' } } as RouteConfig
const create = { id: 'projects.create', methods: ['POST'], path: '/api/projects', target: 'legacy' } as RouteConfig

t.test('the configured target when the state has none', async t => {
  t.equal(selectTarget(budget, {}, req), 'legacy')
  t.equal(selectTarget(budget, { target: budget.target }, req), 'legacy')
})

t.test('the state overrides the config (a flip)', async t => {
  t.equal(selectTarget(budget, { target: 'lambda' }, req), 'lambda')
  t.equal(selectTarget({ ...budget, target: 'lambda' }, { target: 'legacy' }, req), 'legacy')
})

t.test('no lambda block → legacy, even if the state says lambda', async t => {
  t.equal(selectTarget(create, { target: 'lambda' }, { ...req, method: 'POST' }), 'legacy')
})

t.test('pure: same inputs, same output, inputs untouched', async t => {
  const state = Object.freeze({ target: 'lambda' as const })
  const frozen = Object.freeze({ ...budget })
  const results = new Set(Array.from({ length: 20 }, () => selectTarget(frozen, state, req)))
  t.same([...results], ['lambda'])
})
