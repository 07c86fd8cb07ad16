// Pure: should a request whose Lambda could not take it be sent to legacy instead?
// Only for routes with `fallback: legacy`, only when Lambda's side said "not now" (breaker open,
// throttled, or the gateway's own Lambda cap shed it — a throttle that did not happen), never for
// the caller's own rate limit or a real function error, and only for idempotent methods unless
// the route lists more in `fallbackMethods`.
import { isProtectionRejection } from './rejection.js'
import type { RejectionReason } from './rejection.js'
import { isIdempotent } from './retry-policy.js'

export interface FallbackRoute {
  fallback?: 'legacy' | 'none'
  fallbackMethods?: readonly string[]
}

const FALLBACK_REASONS: ReadonlySet<RejectionReason> = new Set(['breaker_open', 'throttled', 'concurrency', 'queue_timeout'])

/** The reason for the `x-gateway-fallback` header, or null when no fallback applies. */
export function fallbackReason (route: FallbackRoute, method: string, err: unknown): RejectionReason | null {
  if (route.fallback !== 'legacy' || !isProtectionRejection(err) || !FALLBACK_REASONS.has(err.reason)) return null
  const m = method.toUpperCase()
  const allowed = route.fallbackMethods ? route.fallbackMethods.some(x => x.toUpperCase() === m) : isIdempotent(m)
  return allowed ? err.reason : null
}
