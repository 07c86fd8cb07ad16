// Feeds every routed request's outcome to the guard: the side chosen at routing (legacy |
// lambda), the status and the latency. O(1) per request and allocation-free: one onResponse hook
// (callback style), a Map lookup and a ring write (the guard judges elsewhere). A route routed
// without `guard.enabled` costs one field read: the guard keeps no run for it (guard-setup.ts
// guardRoutesFrom), and a run made by a later reload only takes requests routed after it.
// A Lambda request that fell back to legacy (breaker open, throttled, shed) counts as a Lambda
// failure (503): the Lambda could not answer, even though the client got legacy's answer.
// Gateway-made answers caused by the client or by policy (rate limited, body too large, bad
// request) say nothing about either side and are skipped.
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import type { GuardController } from '../guard/guard-controller.js'
import { LAMBDA_TARGET } from '../targets/lambda-target.js'
import { LEGACY_TARGET } from '../targets/legacy-proxy.js'

const NOT_A_SIDE_OUTCOME = new Set(['rate_limited', 'payload_too_large', 'bad_request'])

/** Registers the hook. */
export function registerGuardOutcome (app: FastifyInstance, guard: Pick<GuardController, 'recordOutcome'>): void {
  // The side chosen at routing is `routing.target`, unless a fallback (protection-hooks) switched
  // a Lambda request to legacy and marked `outcome.fallback`: no onRequest hook needed to keep it.
  app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    record(guard, request, reply)
    done()
  })
}

function record (guard: Pick<GuardController, 'recordOutcome'>, request: FastifyRequest, reply: FastifyReply): void {
  // The route as routed (a reload never changes it): no guard then, nothing the guard would keep.
  if (request.routing?.route?.guard?.enabled !== true) return
  const outcome = request.outcome
  const fellBack = outcome?.fallback !== undefined
  // A fallback is a Lambda outcome; the guard compares exactly these two targets.
  const side = fellBack ? LAMBDA_TARGET : request.routing?.target
  if (side !== LAMBDA_TARGET && side !== LEGACY_TARGET) return
  if (outcome.rejection !== undefined && NOT_A_SIDE_OUTCOME.has(outcome.rejection)) return
  const latencyMs = performance.now() - outcome.startedAt
  guard.recordOutcome(request.routing.routeId, side, fellBack ? 503 : reply.statusCode, latencyMs, outcome.startedAt)
}
