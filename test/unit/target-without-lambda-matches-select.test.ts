// targetWithoutLambda (routing/select-target.ts) is what the routing hook asks for a route with
// no lambda block instead of selectTarget: the same answer for every state, request and tester
// override, without the request's facts.
import t from 'tap'
import { selectTarget, targetWithoutLambda } from '../../gateway/src/routing/select-target.js'
import type { RouteRuntimeState, TargetRequest } from '../../gateway/src/routing/select-target.js'
import type { RouteConfig } from '../../gateway/src/config/schema.js'

const req: TargetRequest = { method: 'GET', path: '/api/projects', headers: { 'x-user-id': 'u1' }, ip: '10.0.0.1' }
const states: RouteRuntimeState[] = [{}, { target: 'lambda' }, { target: 'legacy' }, { target: 'lambda', rolloutPercent: 30 }]

t.test('no lambda block: the same target as selectTarget, whatever the state or override', async t => {
  for (const configured of ['legacy', 'lambda'] as const) {
    const route = { id: 'projects.list', methods: ['GET'], path: '/api/projects', target: configured } as RouteConfig
    for (const state of states) {
      for (const override of [undefined, 'lambda', 'legacy'] as const) {
        t.equal(targetWithoutLambda(route, state), selectTarget(route, state, req, { override, random: () => 0 }),
          `configured ${configured}, state ${JSON.stringify(state)}, override ${override}`)
      }
      t.equal(targetWithoutLambda(route, state), 'legacy')
    }
  }
})
