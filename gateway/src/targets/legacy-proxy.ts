// The legacy target: the lean forwarder (legacy-forwarder.ts: one undici `dispatch` per request,
// legacy's answer written straight to the client with back-pressure) over our own pool
// (legacy-pool.ts). No retries on this path: the protection layer owns retries, and a proxy that
// silently multiplies load on a struggling legacy backend is what we must avoid.
//
// A client that hangs up does NOT abort the call once it is sent: legacy (like IIS) keeps
// working on it anyway, so the call keeps its concurrency permit until legacy answered (or
// failed, or timed out after timeoutMs) and the answer is dropped. Aborting would only hide
// legacy's work from the cap (and cost a pooled connection). Not yet sent = never sent.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Pool } from 'undici'
import type { GatewayContext } from '../pipeline/context.js'
import { forwardHeadersOf } from '../http/forward-headers.js'
import { LegacyForwarder } from './legacy-forwarder.js'
import type { UpstreamGauge } from './legacy-response-writer.js'
import type { Permits, Target } from './target.port.js'

/** The target's name, and its upstream label (gateway_upstream_inflight, the breaker). */
export const LEGACY_TARGET = 'legacy'
export const LEGACY_UPSTREAM = LEGACY_TARGET

// One forwarder per built app (tests build many in one process), found from the request's context.
const forwarders = new WeakMap<GatewayContext, LegacyForwarder>()

/** Builds the app's legacy forwarder on the given pool (app.ts closes the pool on shutdown). */
export function registerLegacyProxy (app: FastifyInstance, pool: Pool): void {
  const inflight: UpstreamGauge = app.gateway.metrics.inflightCount(LEGACY_UPSTREAM)
  forwarders.set(app.gateway, new LegacyForwarder(pool, inflight))
}

export function forwardToLegacy (request: FastifyRequest, reply: FastifyReply, permits: Permits): FastifyReply {
  const ctx = request.server.gateway
  const forwarder = forwarders.get(ctx)
  if (forwarder === undefined) throw new Error('registerLegacyProxy was not called for this app')
  // Only the headers: the rest of forwardContextOf (route key, raw headers, …) is the Lambda's.
  forwarder.forward(request, reply, ctx.config.legacy, forwardHeadersOf(request), permits, request.answerObserver ?? undefined)
  return reply
}

/** The default target (every unmatched path, every route without a Lambda): legacy's one shield. */
export const legacyTarget: Target = {
  name: LEGACY_TARGET,
  forward: forwardToLegacy,
  shieldOf: (protection) => ({ shield: protection.legacy })
}
