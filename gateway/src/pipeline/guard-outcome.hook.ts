// Feeds every routed request's outcome to the guard: the side chosen at routing (legacy |
// lambda), the status and the latency. O(1) per request and allocation-free: one property write
// in onRequest, a Map lookup and a ring write in onResponse (the guard judges elsewhere).
// A Lambda request that fell back to legacy (breaker open, throttled, shed) counts as a Lambda
// failure (503): the Lambda could not answer, even though the client got legacy's answer.
// Gateway-made answers caused by the client or by policy (rate limited, body too large, bad
// request) say nothing about either side and are skipped.
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import type { GuardController } from '../shadow/guard-controller.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The side the routing hook chose, before any fallback (guard-outcome.hook.ts). */
    guardSide: string | null
  }
}

const NOT_A_SIDE_OUTCOME = new Set(['rate_limited', 'payload_too_large', 'bad_request'])

/** Registers the hooks; call right after the routing hook so `guardSide` precedes any fallback. */
export function registerGuardOutcome (app: FastifyInstance, guard: Pick<GuardController, 'recordOutcome'>): void {
  app.decorateRequest('guardSide', null)
  // Callback-style hooks: no promise per request.
  app.addHook('onRequest', (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
    request.guardSide = request.routing.target
    done()
  })
  app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    record(guard, request, reply)
    done()
  })
}

function record (guard: Pick<GuardController, 'recordOutcome'>, request: FastifyRequest, reply: FastifyReply): void {
  const side = request.guardSide
  if (side !== 'lambda' && side !== 'legacy') return
  const outcome = request.outcome
  if (outcome.rejection !== undefined && NOT_A_SIDE_OUTCOME.has(outcome.rejection)) return
  const latencyMs = performance.now() - outcome.startedAt
  const fellBack = side === 'lambda' && request.routing.target === 'legacy'
  guard.recordOutcome(request.routing.routeId, side, fellBack ? 503 : reply.statusCode, latencyMs, outcome.startedAt)
}
