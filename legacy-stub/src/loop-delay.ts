// The event-loop delay of this process: how late a timer fires, i.e. how long an I/O event that
// arrived waits, on average, before the loop gets to it (busy JavaScript, or the process not
// scheduled on a shared core). Cumulative count and mean, so a reader diffs two readings
// (count × mean). Started on demand: nothing samples until someone asks.
import { monitorEventLoopDelay } from 'node:perf_hooks'

/** Samples taken so far and their mean delay, ms. */
export interface LoopDelay { count: number, meanMs: number }

export interface LoopDelayMonitor {
  read: () => LoopDelay
  stop: () => void
}

/** Samples every `resolutionMs` from now on; stop() ends it. */
export function loopDelayMonitor (resolutionMs = 5): LoopDelayMonitor {
  const h = monitorEventLoopDelay({ resolution: resolutionMs })
  h.enable()
  // mean is in nanoseconds, and NaN before the first sample.
  return { read: () => ({ count: h.count, meanMs: h.count > 0 ? h.mean / 1e6 : 0 }), stop: () => { h.disable() } }
}
