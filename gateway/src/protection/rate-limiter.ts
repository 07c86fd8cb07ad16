// Keyed token buckets (global / per route / per client) with a bounded key map. One request is
// checked against several buckets at once and is admitted only if every bucket has a token; a
// refusal consumes nothing, so a request rejected by the global bucket does not also drain the
// caller's own allowance. The decision is rate-decision.ts's arithmetic (take() then
// decisionFrom()), done here in place on every request: the buckets are updated where they
// are stored and the per-check numbers sit in arrays reused across calls, so a check makes no
// garbage but the decision it returns (test/unit/rate-limit-lean-matches-pure.test.ts holds
// the two to the same answers).
import { BoundedMap } from './bounded-map.js'
import { shownDecision } from './rate-decision.js'
import type { RateLimitCheck, RateLimitDecision, RateLimitRule, RateLimitScope } from './rate-decision.js'
import { msUntil } from './token-bucket.js'
import type { BucketState } from './token-bucket.js'

export type { RateLimitCheck, RateLimitDecision, RateLimitRule, RateLimitScope } from './rate-decision.js'

export interface RateLimiterOptions {
  /** Most buckets kept; least recently used ones are dropped (second chance, bounded-map.ts; a dropped bucket restarts full). Default 10000. */
  maxKeys?: number
  now?: () => number
}

/** A bucket's id in the in-process map: scope and key. */
export const bucketId = (scope: RateLimitScope, key: string): string => `${scope}\u0000${key}`

/** A check whose bucket id is built once: for checks reused across requests (Shield's global and route ones). */
export function rateLimitCheck (scope: RateLimitScope, key: string, rule: RateLimitRule): RateLimitCheck {
  return { scope, key, rule, id: bucketId(scope, key) }
}

export class RateLimiter {
  readonly #buckets: BoundedMap<string, BucketState>
  readonly #now: () => number
  // Per check of the current call: the bucket as stored (undefined = new), its refilled tokens and time.
  #states: Array<BucketState | undefined> = []
  #tokens = new Float64Array(4)
  #at = new Float64Array(4)

  constructor (options: RateLimiterOptions = {}) {
    this.#buckets = new BoundedMap(options.maxKeys ?? 10_000)
    this.#now = options.now ?? (() => performance.now())
  }

  get size (): number { return this.#buckets.size }
  get evictions (): number { return this.#buckets.evictions }

  check (checks: readonly RateLimitCheck[], n = 1): RateLimitDecision {
    const count = checks.length
    if (count === 0) return { allowed: true, retryAfterSeconds: 0, headers: {} }
    if (this.#tokens.length < count) this.#grow(count)
    const now = this.#now()
    const states = this.#states
    const tokens = this.#tokens
    const at = this.#at
    let refused = -1
    for (let i = 0; i < count; i++) {
      const check = checks[i] as RateLimitCheck
      const capacity = check.rule.burst
      const prior = this.#buckets.get(check.id ?? bucketId(check.scope, check.key))
      states[i] = prior
      // token-bucket.ts refill(), from a new full bucket or the stored one capped at the (maybe reloaded) burst.
      const from = prior === undefined ? capacity : (prior.tokens > capacity ? capacity : prior.tokens)
      const since = prior === undefined ? now : prior.updatedAt
      const elapsedMs = Math.max(0, now - since)
      const t = Math.min(capacity, from + elapsedMs * check.rule.perSecond / 1000)
      tokens[i] = t
      at[i] = Math.max(now, since)
      // Tiny epsilon as in take(): float refill must not turn an exact whole token into a refusal.
      if (refused < 0 && !(t + 1e-9 >= n)) refused = i
    }
    const decision = refused < 0 ? this.#admitted(checks, count, n) : this.#refused(checks, count, n, refused)
    states.fill(undefined, 0, count) // holds no bucket past the call
    return decision
  }

  clear (): void { this.#buckets.clear() }

  /** Every bucket had `n`: takes them, and shows the bucket with the fewest whole tokens left. */
  #admitted (checks: readonly RateLimitCheck[], count: number, n: number): RateLimitDecision {
    const states = this.#states
    let shown = 0
    let shownRemaining = 0
    for (let i = 0; i < count; i++) {
      const left = Math.max(0, (this.#tokens[i] as number) - n)
      const state = states[i]
      if (state === undefined) {
        const check = checks[i] as RateLimitCheck
        this.#buckets.set(check.id ?? bucketId(check.scope, check.key), { tokens: left, updatedAt: this.#at[i] as number })
      } else {
        state.tokens = left
        state.updatedAt = this.#at[i] as number
      }
      const remaining = Math.floor(left + 1e-9)
      if (i === 0 || remaining < shownRemaining) { shown = i; shownRemaining = remaining }
    }
    const rule = (checks[shown] as RateLimitCheck).rule
    const left = Math.max(0, (this.#tokens[shown] as number) - n)
    return shownDecision(rule, shownRemaining, msUntil(rule.burst - left, rule.perSecond), 0, undefined)
  }

  /** Some bucket lacked `n`: nothing is taken; shows the refusing bucket with the longest wait. */
  #refused (checks: readonly RateLimitCheck[], count: number, n: number, first: number): RateLimitDecision {
    let shown = -1
    let shownWait = -Infinity
    for (let i = first; i < count; i++) {
      const t = this.#tokens[i] as number
      if (t + 1e-9 >= n) continue
      const rule = (checks[i] as RateLimitCheck).rule
      const wait = n > rule.burst ? Infinity : msUntil(n - t, rule.perSecond)
      if (shown < 0 || wait > shownWait) { shown = i; shownWait = wait }
    }
    const rule = (checks[shown] as RateLimitCheck).rule
    const t = this.#tokens[shown] as number
    return shownDecision(rule, Math.floor(t + 1e-9), msUntil(rule.burst - t, rule.perSecond), shownWait, (checks[first] as RateLimitCheck).scope)
  }

  #grow (count: number): void {
    this.#tokens = new Float64Array(count)
    this.#at = new Float64Array(count)
  }
}
