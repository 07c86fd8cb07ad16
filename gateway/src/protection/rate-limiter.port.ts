// The rate limiter as the request path sees it once state may be shared: asynchronous, because
// the Redis adapter makes one round trip per decision. The in-memory adapter wraps the existing
// synchronous RateLimiter (rate-limiter.ts) unchanged.
import { RateLimiter } from './rate-limiter.js'
import type { RateLimitCheck, RateLimitDecision, RateLimiterOptions } from './rate-limiter.js'

export interface AsyncRateLimiter {
  /** Admits only if every check has `n` tokens; a refusal consumes nothing. Never rejects. */
  check: (checks: readonly RateLimitCheck[], n?: number) => Promise<RateLimitDecision>
}

export function createMemoryRateLimiter (options: RateLimiterOptions = {}): AsyncRateLimiter & { local: RateLimiter } {
  const local = new RateLimiter(options)
  return {
    local,
    async check (checks, n = 1) { return local.check(checks, n) }
  }
}
