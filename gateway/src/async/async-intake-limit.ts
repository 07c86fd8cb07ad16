// The per-client rate limit in front of the async surface (intake and job status). It runs in
// the async plugin's own onRequest hook, before the intake answers, so an async write is charged
// to its caller's bucket (legacy.clientRateLimit) exactly like a synchronous one — and nothing
// else of the legacy shield applies: the global and route buckets, the concurrency cap and the
// breaker express what LEGACY can take now, and the intake does not touch legacy (the delivery
// worker meets them later). A client hammering the intake or polling job status in a loop gets
// 429 + Retry-After; a month-end burst from many callers is still accepted at disk speed.
import type { FastifyRequest, FastifyReply } from 'fastify'
import type {} from '../pipeline/context.js'
import type {} from '../protection/protection-hooks.plugin.js'
import { isProtectionRejection } from '../protection/rejection.js'
import { LEGACY_TARGET } from '../targets/legacy-proxy.js'
import { ASYNC_METHODS, isUnderPrefix, resolveRouteAsync } from './async.schema.js'

/** Whether the async plugin answers this request itself (job status, or an async write to legacy). */
export function isAsyncSurface (request: FastifyRequest, prefix: string): boolean {
  const routing = request.routing
  if (!routing || routing.target === 'none') return false
  if (isUnderPrefix(routing.path, prefix)) return true
  const cfg = resolveRouteAsync(routing.route?.async)
  return cfg !== undefined && routing.target === LEGACY_TARGET && (ASYNC_METHODS as readonly string[]).includes(request.method)
}

/**
 * Charges the client's bucket; throws the shield's rate_limited rejection (429, the error handler
 * answers it). Without a clientRateLimit it does nothing.
 */
export async function chargeClientBucket (request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const protection = request.server.protection
  const clientKey = protection.clientKeyOf({ headers: request.headers, ip: request.ip })
  if (clientKey === undefined) return
  try {
    await protection.legacy.admit({
      routeId: request.routing.routeId,
      method: request.method,
      clientKey,
      rateLimitScopes: ['client'],
      setHeader: (name, value) => { reply.header(name, value) }
    })
  } catch (err) {
    // admit() also fails fast on an open legacy breaker; the intake does not care (jobs wait for
    // legacy to recover). The client bucket was checked before that, so its verdict stands.
    if (isProtectionRejection(err) && err.reason === 'breaker_open') return
    throw err
  }
}
