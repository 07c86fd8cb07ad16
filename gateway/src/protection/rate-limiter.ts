// Keyed token buckets (global / per route / per client) with a bounded key map. One request is
// checked against several buckets at once and is admitted only if every bucket has a token; a
// refusal consumes nothing, so a request rejected by the global bucket does not also drain the
// caller's own allowance. The decision itself is rate-decision.ts; this file keeps the buckets.
import { BoundedMap } from './bounded-map.js'
import { decisionFrom, takeEach } from './rate-decision.js'
import type { RateLimitCheck, RateLimitDecision } from './rate-decision.js'
import type { BucketState } from './token-bucket.js'

export type { RateLimitCheck, RateLimitDecision, RateLimitRule, RateLimitScope } from './rate-decision.js'

export interface RateLimiterOptions {
  /** Most buckets kept; least recently used ones are dropped (a dropped bucket restarts full). Default 10000. */
  maxKeys?: number
  now?: () => number
}

const idOf = (check: RateLimitCheck): string => `${check.scope}\u0000${check.key}`

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
    const results = takeEach(checks, check => this.#buckets.get(idOf(check)), this.#now(), n)
    if (results.every(r => r.allowed)) {
      results.forEach((r, i) => { this.#buckets.set(idOf(checks[i] as RateLimitCheck), r.state) })
    }
    return decisionFrom(checks, results)
  }

  clear (): void { this.#buckets.clear() }
}
