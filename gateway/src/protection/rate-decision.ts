// The rate-limit decision, pure: one request is checked against several token buckets at once
// and admitted only if every one has `n` tokens; the headers describe the tightest bucket. The
// in-process RateLimiter (rate-limiter.ts) and the shared RedisRateLimiter
// (distributed/redis-token-bucket.ts) both decide here, so their answers cannot drift apart.
import { fullBucket, take } from './token-bucket.js'
import type { BucketConfig, BucketState, TakeResult } from './token-bucket.js'

export type RateLimitScope = 'global' | 'route' | 'client'

/** As in config: sustained `perSecond`, burst = bucket capacity. */
export interface RateLimitRule {
  perSecond: number
  burst: number
}

export interface RateLimitCheck {
  scope: RateLimitScope
  /** Distinguishes buckets within a scope: upstream name, route id, client key. */
  key: string
  rule: RateLimitRule
  /**
   * The bucket's id in the in-process limiter (`scope\u0000key`), set once by rateLimitCheck()
   * (rate-limiter.ts) for a check reused across requests; absent = built per check.
   */
  readonly id?: string
}

export interface RateLimitDecision {
  allowed: boolean
  /** The scope that refused (first refusing check), when not allowed. */
  scope?: RateLimitScope
  /** >= 1 when refused, else 0. */
  retryAfterSeconds: number
  /** `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (+ `Retry-After` when refused). */
  headers: Record<string, string>
}

export const bucketConfigOf = (rule: RateLimitRule): BucketConfig => ({ capacity: rule.burst, refillPerSecond: rule.perSecond })

/**
 * Takes `n` from each check's bucket as it stands (`stateOf`; undefined = a new, full bucket).
 * Each result says what that bucket alone would do; only an all-allowed set may be written.
 */
export function takeEach (
  checks: readonly RateLimitCheck[], stateOf: (check: RateLimitCheck, i: number) => BucketState | undefined, now: number, n: number
): TakeResult[] {
  return checks.map((check, i) => {
    const config = bucketConfigOf(check.rule)
    const prior = stateOf(check, i) ?? fullBucket(config, now)
    // A reload may shrink the burst: never carry more tokens than the new capacity.
    const state = prior.tokens > config.capacity ? { ...prior, tokens: config.capacity } : prior
    return take(config, state, now, n)
  })
}

/** The decision and headers from per-bucket take results (`results[i]` belongs to `checks[i]`). */
export function decisionFrom (checks: readonly RateLimitCheck[], results: readonly TakeResult[]): RateLimitDecision {
  if (checks.length === 0) return { allowed: true, retryAfterSeconds: 0, headers: {} }
  const rows = checks.map((check, i) => ({ check, result: results[i] as TakeResult }))
  const refused = rows.filter(r => !r.result.allowed)
  // Headers describe the tightest bucket: the longest wait when refused, the fewest tokens left otherwise.
  const shown = refused.length > 0
    ? refused.reduce((a, b) => (b.result.retryAfterMs > a.result.retryAfterMs ? b : a))
    : rows.reduce((a, b) => (b.result.remaining < a.result.remaining ? b : a))
  const { remaining, resetMs, retryAfterMs } = shown.result
  return shownDecision(shown.check.rule, remaining, resetMs, retryAfterMs, refused[0]?.check.scope)
}

/**
 * The decision as the shown bucket (the tightest one) describes it (its TakeResult's numbers); `refusedBy` = the first
 * refusing check's scope, undefined when every check was allowed. The in-process limiter's
 * lean path (rate-limiter.ts) ends here too, so the two cannot word the headers differently.
 */
export function shownDecision (
  rule: RateLimitRule, remaining: number, resetMs: number, retryAfterMs: number, refusedBy: RateLimitScope | undefined
): RateLimitDecision {
  const headers: Record<string, string> = {
    'ratelimit-limit': String(rule.burst),
    'ratelimit-remaining': String(remaining),
    'ratelimit-reset': String(Math.ceil(Math.min(resetMs, 86_400_000) / 1000))
  }
  if (refusedBy === undefined) return { allowed: true, retryAfterSeconds: 0, headers }
  const retryAfterSeconds = Number.isFinite(retryAfterMs)
    ? Math.max(1, Math.ceil(retryAfterMs / 1000))
    : 60
  headers['retry-after'] = String(retryAfterSeconds)
  return { allowed: false, scope: refusedBy, retryAfterSeconds, headers }
}
