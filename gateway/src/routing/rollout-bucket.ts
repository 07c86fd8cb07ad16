// Sticky, monotone rollout. A request's bucket (0..9999) is a stable hash of the route id and
// its sticky key; it goes to the Lambda iff bucket < percent × 100. The same key always lands in
// the same bucket, so a user stays on one side, and raising the percentage only ever adds
// buckets to the Lambda side: nobody who was already on the Lambda goes back to legacy.
//
// Hash: FNV-1a 32-bit over the UTF-16 code units, finished with murmur3's fmix32 avalanche
// (plain FNV-1a spreads similar keys such as "user-1", "user-2" poorly in the low digits that
// `% 10000` keeps). Measured on the shared 2-core dev box: ~0.1 µs per 25-char key versus
// ~1.8 µs for createHash('sha1'); shares within 0.5% of ideal at 10k keys (test/unit/rollout-*).

export type RolloutTarget = 'legacy' | 'lambda'

/** Number of buckets: a percentage has two decimals of resolution (0.01% = one bucket). */
export const BUCKETS = 10_000

/** 32-bit FNV-1a with an fmix32 finaliser; unsigned result. */
export function hash32 (input: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < input.length; i++) {
    h ^= input.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** The bucket of a sticky key on a route: 0..9999, stable across processes and restarts. */
export function rolloutBucket (routeId: string, stickyKey: string): number {
  return hash32(routeId + ':' + stickyKey) % BUCKETS
}

/** Buckets strictly below this threshold go to the Lambda; percent is clamped to 0..100. */
export function lambdaThreshold (percent: number): number {
  if (!Number.isFinite(percent) || percent <= 0) return 0
  if (percent >= 100) return BUCKETS
  return Math.round(percent * 100)
}

export interface RolloutInput {
  routeId: string
  /** Share of requests for the Lambda, 0..100. */
  percent: number
  /** The sticky key of the request; undefined when the request has none. */
  stickyKey: string | undefined
  /** Uniform 0 <= x < 1; used only when there is no sticky key. Injected so tests are deterministic. */
  random: () => number
}

/**
 * Decides the side for one request of a route whose target is `lambda`. 0% and 100% short-cut
 * without hashing; without a sticky key the choice is random per request.
 */
export function chooseRolloutSide (input: RolloutInput): RolloutTarget {
  const threshold = lambdaThreshold(input.percent)
  if (threshold === 0) return 'legacy'
  if (threshold === BUCKETS) return 'lambda'
  const bucket = input.stickyKey === undefined
    ? Math.floor(input.random() * BUCKETS)
    : rolloutBucket(input.routeId, input.stickyKey)
  return bucket < threshold ? 'lambda' : 'legacy'
}
