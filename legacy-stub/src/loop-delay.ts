// The event-loop delay of this process: how late a timer fires, i.e. how long an I/O event that
// arrived waits, on average, before the loop gets to it (busy JavaScript, or the process not
// scheduled on a shared core). Cumulative count and mean, so a reader diffs two readings
// (count × mean). Started on demand: nothing samples until someone asks.
import { monitorEventLoopDelay } from 'node:perf_hooks'

/** Samples taken so far and their mean delay past the timer's due time, ms (about 0 when idle). */
export interface LoopDelay { count: number, meanMs: number }

export interface LoopDelayMonitor {
  read: () => LoopDelay
  stop: () => void
}

/** Samples every `resolutionMs` from now on; stop() ends it. */
export function loopDelayMonitor (resolutionMs = 5): LoopDelayMonitor {
  const h = monitorEventLoopDelay({ resolution: resolutionMs })
  h.enable()
  // The histogram holds the intervals between timer runs (ns; mean NaN before the first sample):
  // the resolution itself is no delay. Not clamped at 0, so count × mean stays additive.
  return { read: () => ({ count: h.count, meanMs: h.count > 0 ? h.mean / 1e6 - resolutionMs : 0 }), stop: () => { h.disable() } }
}
