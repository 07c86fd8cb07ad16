// Retry delays of the delivery worker, pure: capped exponential backoff with full jitter
// (AWS Architecture Blog, "Exponential Backoff And Jitter"): the delay after the n-th failed
// attempt is uniform in [0, min(maxMs, baseMs * 2^(n-1))]. Full jitter spreads a crowd of jobs
// that failed together (legacy down) so they do not come back as one burst.

export interface BackoffSettings {
  /** Upper bound of the first delay (ms). */
  baseMs: number
  /** Upper bound of any delay (ms). */
  maxMs: number
}

/** The ceiling for the delay after `failedAttempts` (>= 1) failures. */
export function backoffCeilingMs (settings: BackoffSettings, failedAttempts: number): number {
  const n = Math.max(1, Math.floor(failedAttempts))
  // 2^(n-1) overflows to Infinity for large n: min() keeps the cap.
  return Math.min(settings.maxMs, settings.baseMs * 2 ** (n - 1))
}

/** Full jitter: a random delay in [0, ceiling]; `random` returns [0, 1) (tests pass a fixed one). */
export function backoffDelayMs (settings: BackoffSettings, failedAttempts: number, random: () => number = Math.random): number {
  const ceiling = backoffCeilingMs(settings, failedAttempts)
  return Math.floor(Math.min(1, Math.max(0, random())) * ceiling)
}
