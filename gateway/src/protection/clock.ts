// Time is a dependency: the limiter arithmetic and the queue take a Clock, so unit tests drive
// time by hand (test/helpers/protection-clock.ts) instead of sleeping.

export interface Clock {
  /** Milliseconds, monotonic enough for rate arithmetic. */
  now: () => number
  /** Schedules `fn` after `ms`; returns a cancel function. */
  setTimeout: (fn: () => void, ms: number) => () => void
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout (fn, ms) {
    const timer = setTimeout(fn, ms)
    return () => clearTimeout(timer)
  }
}
