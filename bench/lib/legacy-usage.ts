// Pure: how much of legacy's capacity a contender used, per phase of an open-loop run, from
// samples of the stub's cumulative GET /__stats/usage (poller time tMs since the run started).
// Each phase runs from the sample nearest its start to the one nearest its end; durations come
// from the stub's own clock, so a late poll shortens the window but never skews the ratio.
import type { UsageSnapshot } from '../../legacy-stub/src/usage.js'

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

function nearest (samples: ReadonlyArray<{ tMs: number, value: UsageSnapshot }>, atMs: number): UsageSnapshot | undefined {
  let best: { tMs: number, value: UsageSnapshot } | undefined
  for (const s of samples) if (best === undefined || Math.abs(s.tMs - atMs) < Math.abs(best.tMs - atMs)) best = s
  return best?.value
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000

export function phaseUsage (samples: ReadonlyArray<{ tMs: number, value: UsageSnapshot }>, phases: readonly PhaseBounds[],
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

export function parseUsage (body: string): UsageSnapshot {
  const j = JSON.parse(body) as Partial<UsageSnapshot>
  return { clockMs: j.clockMs ?? Number.NaN, workers: j.workers ?? 0, busyWorkerMs: j.busyWorkerMs ?? 0, allBusyMs: j.allBusyMs ?? 0, completed: j.completed ?? 0 }
}
