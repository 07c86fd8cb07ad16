// Protection rejections: the typed errors of gateway/src/errors.ts plus the contract rejection
// `reason` (metric label) and `retryAfterSeconds` (Retry-After header). A brand symbol tells our
// own rejections apart from upstream errors that happen to carry the same shape (isOurError).
import {
  BreakerOpenError, ConcurrencyLimitError, RateLimitedError, ShedQueueFullError, ShedQueueTimeoutError
} from '../errors.js'

/** Label values of `gateway_rejections_total{reason}` that protection produces. */
export type ProtectionReason = 'rate_limited' | 'concurrency' | 'queue_timeout' | 'breaker_open' | 'throttled'

/**
 * Every label value of `gateway_rejections_total{reason}`, the one list: protection's and the two
 * a client causes (http/error-handler.ts clientRejectionOf). ops/metrics.ts re-exports it.
 */
export type RejectionReason = ProtectionReason | 'payload_too_large' | 'bad_request'

const REJECTION = Symbol.for('strangler-gateway.protection-rejection')

export interface ProtectionRejection extends Error {
  code: string
  statusCode: number
  reason: ProtectionReason
  /** Whole seconds, >= 1: the Retry-After header value. */
  retryAfterSeconds: number
  /** Extra response headers (RateLimit-* on a 429). */
  headers: Record<string, string>
  [REJECTION]: true
}

export function toRetryAfterSeconds (ms: number): number {
  if (!Number.isFinite(ms)) return 60
  return Math.max(1, Math.ceil(ms / 1000))
}

/** Brands any error as a protection rejection (also used for a Lambda throttle). */
export function markRejection<E extends Error> (err: E, reason: ProtectionReason, retryAfterSeconds: number,
  headers: Record<string, string> = {}): E & ProtectionRejection {
  const out = err as E & ProtectionRejection
  out.reason = reason
  out.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds))
  out.headers = { ...headers, 'retry-after': String(out.retryAfterSeconds) }
  out.statusCode ??= reason === 'rate_limited' ? 429 : 503
  out[REJECTION] = true
  return out
}

export function isProtectionRejection (err: unknown): err is ProtectionRejection {
  return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[REJECTION] === true
}

export const rejections = {
  queueFull: (upstream: string, retryAfterSeconds = 1) =>
    markRejection(new ShedQueueFullError(upstream), 'concurrency', retryAfterSeconds),
  queueTimeout: (upstream: string, waitedMs: number, retryAfterSeconds = 1) =>
    markRejection(new ShedQueueTimeoutError(upstream, waitedMs), 'queue_timeout', retryAfterSeconds),
  concurrency: (upstream: string, retryAfterSeconds = 1) =>
    markRejection(new ConcurrencyLimitError(upstream), 'concurrency', retryAfterSeconds),
  rateLimited: (scope: string, retryAfterSeconds: number, headers: Record<string, string>) =>
    markRejection(new RateLimitedError(scope), 'rate_limited', retryAfterSeconds, headers),
  breakerOpen: (breaker: string, retryAfterSeconds: number) =>
    markRejection(new BreakerOpenError(breaker), 'breaker_open', retryAfterSeconds)
}

/** A client that went away (AbortSignal): neither a failure nor a rejection. */
export function isAbortError (err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false
  const e = err as { name?: unknown, code?: unknown }
  return e.name === 'AbortError' || e.code === 'ABORT_ERR' || e.code === 'UND_ERR_ABORTED'
}
