// Token bucket arithmetic, pure: state in, state out, time passed in. A bucket holds at most
// `capacity` tokens (the burst) and gains `refillPerSecond` tokens a second. Unlike a fixed
// window it cannot let 2x the limit through around a window edge.

export interface BucketConfig {
  /** Maximum tokens = largest burst admitted at once. */
  capacity: number
  /** Tokens added per second (the sustained rate). */
  refillPerSecond: number
}

export interface BucketState {
  tokens: number
  /** Clock time (ms) `tokens` was computed at. */
  updatedAt: number
}

export interface TakeResult {
  allowed: boolean
  state: BucketState
  /** Whole tokens left after this take. */
  remaining: number
  /** 0 when allowed; else ms until `n` tokens are available. */
  retryAfterMs: number
  /** ms until the bucket is full again. */
  resetMs: number
}

export function fullBucket (config: BucketConfig, now: number): BucketState {
  return { tokens: config.capacity, updatedAt: now }
}

export function refill (config: BucketConfig, state: BucketState, now: number): BucketState {
  // A clock that goes backwards must not mint or burn tokens.
  const elapsedMs = Math.max(0, now - state.updatedAt)
  const tokens = Math.min(config.capacity, state.tokens + elapsedMs * config.refillPerSecond / 1000)
  return { tokens, updatedAt: Math.max(now, state.updatedAt) }
}

/** ms until `tokens` more are in a bucket refilled at `refillPerSecond` (0 for none; Infinity when it never refills). */
export function msUntil (tokens: number, refillPerSecond: number): number {
  if (tokens <= 0) return 0
  return refillPerSecond > 0 ? Math.ceil(tokens * 1000 / refillPerSecond) : Infinity
}

const msFor = (tokens: number, config: BucketConfig): number => msUntil(tokens, config.refillPerSecond)

export function take (config: BucketConfig, state: BucketState, now: number, n = 1): TakeResult {
  const current = refill(config, state, now)
  // Tiny epsilon: float refill (e.g. 0.1 + 0.2) must not turn an exact whole token into a refusal.
  const allowed = current.tokens + 1e-9 >= n
  const next = allowed ? { tokens: Math.max(0, current.tokens - n), updatedAt: current.updatedAt } : current
  return {
    allowed,
    state: next,
    remaining: Math.floor(next.tokens + 1e-9),
    retryAfterMs: allowed ? 0 : (n > config.capacity ? Infinity : msFor(n - current.tokens, config)),
    resetMs: msFor(config.capacity - next.tokens, config)
  }
}
