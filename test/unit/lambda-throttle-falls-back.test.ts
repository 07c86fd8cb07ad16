// fallbackAfterLambdaError, the one call the Lambda target needs (Permits.fallback) for "throttled → legacy": a minimal
// Fastify app with the same decorations as the gateway (routing, outcome, gateway context).
import t from 'tap'
import Fastify from 'fastify'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { LambdaThrottledError } from '../../gateway/src/errors.js'
import { gatewayErrorHandler } from '../../gateway/src/http/error-handler.js'
import { fallbackAfterLambdaError, protectionHooks } from '../../gateway/src/protection/protection-hooks.plugin.js'
import type { RoutingDecision } from '../../gateway/src/pipeline/context.js'
import { BUILTIN_TARGETS } from '../../gateway/src/targets/builtin-targets.js'
import { TargetRegistry } from '../../gateway/src/targets/target-registry.js'

async function app (fallback: 'legacy' | 'none') {
  const a = Fastify()
  const gauge: Record<string, number> = {}
  a.decorate('gateway', {
    config: { server: { exposeRoutingHeaders: true }, legacy: { maxConcurrency: 2 } },
    targets: new TargetRegistry(BUILTIN_TARGETS),
    metrics: { breakerState: { set: (l: { breaker: string }, v: number) => { gauge[l.breaker] = v } } }
  } as never)
  a.decorateRequest('routing', null as unknown as RoutingDecision)
  a.decorateRequest('outcome', null as never)
  a.setErrorHandler(gatewayErrorHandler)
  a.addHook('onRequest', async (request: FastifyRequest) => {
    request.outcome = { startedAt: 0 }
    request.routing = {
      routeId: 'users.get',
      route: { id: 'users.get', fallback, lambda: { function: 'Users-DEV', maxConcurrency: 1 } } as never,
      params: {},
      path: '/api/users/1',
      query: '',
      target: 'lambda'
    }
  })
  await a.register(protectionHooks())
  a.all('/*', async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      throw new LambdaThrottledError('Users-DEV')
    } catch (err) {
      if (await fallbackAfterLambdaError(request, reply, err)) return { from: 'legacy', target: request.routing.target }
      throw err
    }
  })
  t.teardown(() => a.close())
  return { a, gauge }
}

t.test('throttled GET with fallback: legacy is served by legacy, through its shield, marked', async t => {
  const { a, gauge } = await app('legacy')
  const res = await a.inject('/api/users/1')
  t.equal(res.statusCode, 200)
  t.same(res.json(), { from: 'legacy', target: 'legacy' })
  t.equal(res.headers['x-gateway-fallback'], 'throttled')
  t.equal(res.headers['x-gateway-target'], 'legacy')
  t.equal(a.protection.legacy.limiter.inflight, 0, 'legacy permit released')
  t.equal(a.protection.lambda('Users-DEV').limiter.inflight, 0, 'lambda permit released')
  t.equal(a.protection.legacy.limiter.maxInflightSeen, 1, 'the fallback held a legacy permit')
  t.same(gauge, { legacy: 0, 'lambda:Users-DEV': 0 })
})

t.test('without fallback the throttle is a 503 with Retry-After', async t => {
  const { a } = await app('none')
  const res = await a.inject('/api/users/1')
  t.equal(res.statusCode, 503)
  t.equal(res.headers['retry-after'], '1')
  t.match(res.json(), { code: 'GW_ERR_LAMBDA_THROTTLED' })
  t.equal(a.protection.lambda('Users-DEV').limiter.inflight, 0)
  t.equal(a.protection.breakers.state('lambda:Users-DEV'), 'closed')
})

t.test('POST never falls back by default', async t => {
  const { a } = await app('legacy')
  const res = await a.inject({ method: 'POST', url: '/api/users/1', payload: {} })
  t.equal(res.statusCode, 503)
  t.equal(res.headers['x-gateway-fallback'], undefined)
})
