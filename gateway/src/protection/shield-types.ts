// The shield's vocabulary: what a caller tells it per request (ShieldContext), how it is built
// (ShieldOptions) and what enter() hands back (ShieldLease). shield.ts re-exports all of it.
import type { BreakerOptions, BreakerRegistry } from './breaker-registry.js'
import type { AbortLike, PriorityClass } from './concurrency-limiter.js'
import type { PermitLimiter } from './concurrency-limiter.port.js'
import type { RateLimitRule, RateLimitScope, RateLimiter } from './rate-limiter.js'
import type { AsyncRateLimiter } from './rate-limiter.port.js'
import type { RejectionReason } from './rejection.js'
import type { RetrySettings } from './shield-retry.js'

export interface ShieldContext {
  routeId: string
  method: string
  /** Default 'live'; a retry is queued as 'retry', shadow traffic passes 'shadow'. */
  priorityClass?: PriorityClass
  /** Route priority (route.priority), higher first. */
  priority?: number
  /** From client-key.ts; without it no per-client bucket applies. */
  clientKey?: string
  /** route.rateLimit */
  routeRateLimit?: RateLimitRule
  /** route.breaker: a per-route breaker nested inside the upstream's. */
  routeBreaker?: BreakerOptions
  /** Rate-limit scopes to apply; default all. A fallback to legacy passes ['global']. */
  rateLimitScopes?: readonly RateLimitScope[]
  /** Client gone: leave the queue, abort the call, stop retrying. */
  signal?: AbortSignal
  /**
   * For enter() only, instead of `signal`: a cheaper stand-in with the same shape (the
   * protection hooks' per-request object fed by the connection's 'close'; no AbortController).
   */
  clientGone?: AbortLike
  /** Receives the RateLimit-* headers of an admitted request. */
  setHeader?: (name: string, value: string) => void
  /** A resolved value that is a failure for the breaker (e.g. a 5xx passed through); still returned. */
  isFailureResult?: (value: unknown) => boolean
}

export interface ShieldHooks {
  onReject?: (routeId: string, reason: RejectionReason) => void
  onInflight?: (upstream: string, inflight: number) => void
}

export interface ShieldOptions {
  /** Upstream label: `legacy`, `lambda:Users-DEV`. Also the breaker name. */
  name: string
  /** The in-process ConcurrencyLimiter, or a shared one (distributed RedisSemaphore). */
  limiter: PermitLimiter
  breakers: BreakerRegistry
  breaker: BreakerOptions
  rateLimiter: RateLimiter
  /** Distributed mode: shared buckets (one Redis round trip); admit() then returns a promise. */
  asyncRateLimiter?: AsyncRateLimiter
  globalRateLimit?: RateLimitRule
  clientRateLimit?: RateLimitRule
  retry?: RetrySettings
  /** Turns target errors into rejections where they mean "shed" (Lambda throttle). */
  classifyError?: (err: unknown) => unknown
  hooks?: ShieldHooks
}

export interface ShieldLease {
  /** No argument = success; else the outcome (5xx error, abort, throttle) for the breaker. Idempotent. */
  finish: (error?: unknown) => void
  /**
   * An upstream call is under way on this permit. Until the returned `end` is called (once the
   * upstream answered, failed or timed out) the permit stays taken even if `finish` came first,
   * e.g. from a client that hung up: the upstream keeps working on a call whose caller left, so
   * freeing its permit then would let the upstream see more than the cap. `end(err)` reports the
   * upstream's own failure, which the breaker gets instead of a client abort.
   */
  hold: () => (upstreamError?: unknown) => void
}
