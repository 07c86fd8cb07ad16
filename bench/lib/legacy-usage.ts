// Pure: how much of legacy's capacity a contender used, per phase of an open-loop run, from
// samples of the stub's cumulative GET /__stats/usage (poller time tMs since the run started).
// Each phase runs from the sample nearest its start to the one nearest its end; durations come
// from the stub's own clock, so a late poll shortens the window but never skews the ratio.
import type { LoopDelay } from '../../legacy-stub/src/loop-delay.js'
import type { UsageSnapshot } from '../../legacy-stub/src/usage.js'

/** GET /__stats/usage as the route answers it: the usage snapshot and the stub's loop delay. */
export type UsageSample = UsageSnapshot & { loopDelay: LoopDelay }

export interface PhaseBounds { name: string, fromMs: number, toMs: number }

export interface PhaseUsage {
  phase: string
  /** The window actually measured (stub clock), s. */
  seconds: number
  /** Requests that finished their service at legacy, per second. */
  servedPerS: number
  /** servedPerS ÷ capacity (workers × 1000 / base latency ms). */
  utilisation: number
  /** Worker time held ÷ (workers × window): occupancy, including the stub's queue-stretched service. */
  occupancy: number
  /** Share of the window during which every worker was held. */
  allBusyShare: number
}

/** The sample taken nearest `atMs` (poller time), if any. */
export function nearest<T> (samples: ReadonlyArray<{ tMs: number, value: T }>, atMs: number): T | undefined {
  let best: { tMs: number, value: T } | undefined
  for (const s of samples) if (best === undefined || Math.abs(s.tMs - atMs) < Math.abs(best.tMs - atMs)) best = s
  return best?.value
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000

/** The counters phaseUsage reads. */
export type UsageCounters = Pick<UsageSnapshot, 'clockMs' | 'workers' | 'busyWorkerMs' | 'allBusyMs' | 'completed'>

export function phaseUsage (samples: ReadonlyArray<{ tMs: number, value: UsageCounters }>, phases: readonly PhaseBounds[],
  capacityPerS: number): PhaseUsage[] {
  return phases.map(p => {
    const a = nearest(samples, p.fromMs)
    const b = nearest(samples, p.toMs)
    const ms = a && b ? b.clockMs - a.clockMs : 0
    if (!a || !b || !(ms > 0)) return { phase: p.name, seconds: 0, servedPerS: Number.NaN, utilisation: Number.NaN, occupancy: Number.NaN, allBusyShare: Number.NaN }
    const servedPerS = (b.completed - a.completed) * 1000 / ms
    return {
      phase: p.name,
      seconds: round3(ms / 1000),
      servedPerS: Math.round(servedPerS * 10) / 10,
      utilisation: round3(servedPerS / capacityPerS),
      occupancy: round3((b.busyWorkerMs - a.busyWorkerMs) / (b.workers * ms)),
      allBusyShare: round3((b.allBusyMs - a.allBusyMs) / ms)
    }
  })
}

const NO_GAPS = { count: 0, totalMs: 0, boundsMs: [], counts: [] }

/** A stub from before idleGaps / responseWrite / loopDelay reads as none of them. */
export function parseUsage (body: string): UsageSample {
  const j = JSON.parse(body) as Partial<UsageSample>
  return {
    clockMs: j.clockMs ?? Number.NaN,
    workers: j.workers ?? 0,
    busyWorkerMs: j.busyWorkerMs ?? 0,
    allBusyMs: j.allBusyMs ?? 0,
    completed: j.completed ?? 0,
    idleGaps: j.idleGaps ?? NO_GAPS,
    responseWrite: j.responseWrite ?? { count: 0, totalMs: 0 },
    loopDelay: j.loopDelay ?? { count: 0, meanMs: 0 }
  }
}
