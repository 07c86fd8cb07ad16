// The guard outcome hook (pipeline/guard-outcome.hook.ts) hands the guard only requests routed
// on a route with `guard.enabled`: a route without a guard costs no clock read and no call.
import t from 'tap'
import Fastify from 'fastify'
import type { RouteConfig } from '../../gateway/src/config/schema.js'
import { registerGuardOutcome } from '../../gateway/src/pipeline/guard-outcome.hook.js'
import type { RequestOutcome, RoutingDecision } from '../../gateway/src/pipeline/context.js'

interface Recorded { routeId: string, side: string, status: number }

async function appRecording (route: Partial<RouteConfig>, status: number): Promise<Recorded[]> {
  const recorded: Recorded[] = []
  const app = Fastify()
  app.decorateRequest('routing', null as unknown as RoutingDecision)
  app.decorateRequest('outcome', null as unknown as RequestOutcome)
  app.addHook('onRequest', (request, _reply, done) => {
    request.outcome = { startedAt: performance.now() }
    request.routing = { routeId: route.id!, route: route as RouteConfig, params: {}, path: '/x', query: '', target: 'lambda' }
    done()
  })
  registerGuardOutcome(app, { recordOutcome: (routeId, side, st) => { recorded.push({ routeId, side, status: st }) } })
  app.get('/x', async (_request, reply) => reply.code(status).send('ok'))
  await app.inject({ method: 'GET', url: '/x' })
  await app.close()
  return recorded
}

t.test('a guarded route records each outcome', async (t) => {
  t.same(await appRecording({ id: 'users.get', guard: { enabled: true } as RouteConfig['guard'] }, 502),
    [{ routeId: 'users.get', side: 'lambda', status: 502 }])
})

t.test('a route without a guard, or with it disabled, records nothing', async (t) => {
  t.same(await appRecording({ id: 'plain' }, 200), [])
  t.same(await appRecording({ id: 'off', guard: { enabled: false } as RouteConfig['guard'] }, 200), [])
})
