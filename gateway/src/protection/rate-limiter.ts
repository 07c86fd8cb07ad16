// Keyed token buckets (global / per route / per client) with a bounded key map. One request is
// checked against several buckets at once and is admitted only if every bucket has a token; a
// refusal consumes nothing, so a request rejected by the global bucket does not also drain the
// caller's own allowance.
import { BoundedMap } from './bounded-map.js'
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

export interface RateLimiterOptions {
  /** Most buckets kept; least recently used ones are dropped (a dropped bucket restarts full). Default 10000. */
  maxKeys?: number
  now?: () => number
}

const toConfig = (rule: RateLimitRule): BucketConfig => ({ capacity: rule.burst, refillPerSecond: rule.perSecond })

export class RateLimiter {
  readonly #buckets: BoundedMap<string, BucketState>
  readonly #now: () => number

  constructor (options: RateLimiterOptions = {}) {
    this.#buckets = new BoundedMap(options.maxKeys ?? 10_000)
    this.#now = options.now ?? (() => performance.now())
  }

  get size (): number { return this.#buckets.size }
  get evictions (): number { return this.#buckets.evictions }

  check (checks: readonly RateLimitCheck[], n = 1): RateLimitDecision {
    const now = this.#now()
    const results: Array<{ check: RateLimitCheck, result: TakeResult, id: string }> = []
    for (const check of checks) {
      const id = `${check.scope}\u0000${check.key}`
      const config = toConfig(check.rule)
      const prior = this.#buckets.get(id) ?? fullBucket(config, now)
      // A reload may shrink the burst: never carry more tokens than the new capacity.
      const state = prior.tokens > config.capacity ? { ...prior, tokens: config.capacity } : prior
      results.push({ check, id, result: take(config, state, now, n) })
    }
    const refused = results.filter(r => !r.result.allowed)
    if (refused.length === 0) {
      for (const r of results) this.#buckets.set(r.id, r.result.state)
    }
    if (results.length === 0) return { allowed: true, retryAfterSeconds: 0, headers: {} }

    // Headers describe the tightest bucket: the longest wait when refused, the fewest tokens left otherwise.
    const shown = refused.length > 0
      ? refused.reduce((a, b) => (b.result.retryAfterMs > a.result.retryAfterMs ? b : a))
      : results.reduce((a, b) => (b.result.remaining < a.result.remaining ? b : a))
    const headers: Record<string, string> = {
      'ratelimit-limit': String(shown.check.rule.burst),
      'ratelimit-remaining': String(shown.result.remaining),
      'ratelimit-reset': String(Math.ceil(Math.min(shown.result.resetMs, 86_400_000) / 1000))
    }
    if (refused.length === 0) return { allowed: true, retryAfterSeconds: 0, headers }
    const retryAfterSeconds = Number.isFinite(shown.result.retryAfterMs)
      ? Math.max(1, Math.ceil(shown.result.retryAfterMs / 1000))
      : 60
    headers['retry-after'] = String(retryAfterSeconds)
    return { allowed: false, scope: refused[0]?.check.scope, retryAfterSeconds, headers }
  }

  clear (): void { this.#buckets.clear() }
}
