// Pure: where legacy's idle worker time goes, per phase of burst-shield, from the stub's
// cumulative usage (idle gaps, answer writes; GET /__stats/usage) and the gateway's PermitProbe
// (permit-probe.ts), both sampled by the pollers. Every figure is a time integral turned into
// "workers' worth" (ms per ms of its own window), so the two processes' clocks never mix:
//   idle          workers − worker occupancy at the stub (what is to be explained)
//   noDemand      gateway permits free with nobody waiting (rate limit / offered load)
//   gateway       permits held with no legacy call under way (grant → dispatch, answer → release)
//                 + permits free while callers wait (the hand-off itself; ~0)
//   stubWrite     the stub writing an answer after its service ended
//   between       the rest: the request and the answer on the wire and waiting in either
//                 process's event loop (CPU contention), the stub's parse before admission;
//                 each process's mean event-loop delay in the phase says which loop was late
import type { IdleGapSnapshot } from '../../legacy-stub/src/idle-gaps.js'
import type { LoopDelay } from '../../legacy-stub/src/loop-delay.js'
import type { PermitProbeSnapshot } from './permit-probe.js'
import { nearest } from './legacy-usage.js'
import type { PhaseBounds, UsageSample } from './legacy-usage.js'

export interface PhaseHandoff {
  phase: string
  /** Idle workers on average (workers − occupancy × workers). */
  idleWorkers: number
  /** Shares of `idle`, each a fraction (NaN without the probe). */
  shares: { noDemand: number, gateway: number, stubWrite: number, between: number }
  /** The idle gaps that ended in the phase; `counts` per bucket of `boundsMs` (the last: above it). */
  gaps: { count: number, meanMs: number, p50Ms: number, p99Ms: number, boundsMs: readonly number[], counts: number[] }
  /** Mean release → waiter running, ms, and the grants and releases of the phase. */
  wakeMeanMs: number
  grants: { atOnce: number, handedOver: number }
  releasesNoWaiter: number
  /** Mean event-loop delay in the phase, ms: the stub's and the gateway's. */
  loopDelayMs: { stub: number, gateway: number }
}

type Usage = Pick<UsageSample, 'clockMs' | 'workers' | 'busyWorkerMs' | 'idleGaps' | 'responseWrite' | 'loopDelay'>

/** Shares of fewer idle workers than this are noise over a ratio of two tiny numbers: unknown. */
const MIN_IDLE_WORKERS = 0.05

/** The mean delay of the samples taken between two cumulative readings. */
function loopMeanMs (a: LoopDelay | undefined, b: LoopDelay | undefined): number {
  if (!a || !b || b.count <= a.count) return Number.NaN
  return (b.meanMs * b.count - a.meanMs * a.count) / (b.count - a.count)
}

/** q-quantile of a gap histogram diff, interpolated inside its bucket; above the last bound: that bound. */
export function gapQuantileMs (gaps: Pick<IdleGapSnapshot, 'boundsMs' | 'counts'>, q: number): number {
  const total = gaps.counts.reduce((a, b) => a + b, 0)
  if (total === 0) return Number.NaN
  const rank = q * total
  let seen = 0
  for (let i = 0; i < gaps.counts.length; i++) {
    const n = gaps.counts[i] as number
    const lower = i === 0 ? 0 : gaps.boundsMs[i - 1] as number
    const upper = gaps.boundsMs[i]
    if (upper === undefined) return lower
    if (seen + n >= rank && n > 0) return lower + (upper - lower) * (rank - seen) / n
    seen += n
  }
  /* c8 ignore next -- the last bucket always answers */
  return Number.NaN
}

const round = (n: number, places: number): number => Math.round(n * 10 ** places) / 10 ** places

function gapDiff (a: IdleGapSnapshot, b: IdleGapSnapshot): IdleGapSnapshot {
  return { count: b.count - a.count, totalMs: b.totalMs - a.totalMs, boundsMs: b.boundsMs, counts: b.counts.map((n, i) => n - (a.counts[i] ?? 0)) }
}

export function phaseHandoff (usage: ReadonlyArray<{ tMs: number, value: Usage }>, probe: ReadonlyArray<{ tMs: number, value: PermitProbeSnapshot }>,
  phases: readonly PhaseBounds[]): PhaseHandoff[] {
  return phases.map(p => {
    const a = nearest(usage, p.fromMs)
    const b = nearest(usage, p.toMs)
    const pa = nearest(probe, p.fromMs)
    const pb = nearest(probe, p.toMs)
    const ms = a && b ? b.clockMs - a.clockMs : 0
    const probeMs = pa && pb ? pb.clockMs - pa.clockMs : 0
    const gaps = a && b ? gapDiff(a.idleGaps, b.idleGaps) : { count: 0, totalMs: 0, boundsMs: [], counts: [] }
    const idle = a && b && ms > 0 ? b.workers - (b.busyWorkerMs - a.busyWorkerMs) / ms : Number.NaN
    const stubWrite = a && b && ms > 0 ? (b.responseWrite.totalMs - a.responseWrite.totalMs) / ms : Number.NaN
    const perMs = (f: (s: PermitProbeSnapshot) => number): number => pa && pb && probeMs > 0 ? (f(pb) - f(pa)) / probeMs : Number.NaN
    const noDemand = perMs(s => s.permitFreeNoWaiterMs)
    const gateway = perMs(s => s.permitHeldNoCallMs + s.permitFreeWaiterMs)
    const share = (x: number): number => idle >= MIN_IDLE_WORKERS ? round(x / idle, 3) : Number.NaN
    const wakes = pa && pb ? pb.wake.count - pa.wake.count : 0
    return {
      phase: p.name,
      idleWorkers: round(idle, 3),
      shares: { noDemand: share(noDemand), gateway: share(gateway), stubWrite: share(stubWrite), between: share(idle - noDemand - gateway - stubWrite) },
      gaps: {
        count: gaps.count,
        meanMs: round(gaps.count > 0 ? gaps.totalMs / gaps.count : Number.NaN, 3),
        p50Ms: round(gapQuantileMs(gaps, 0.5), 3),
        p99Ms: round(gapQuantileMs(gaps, 0.99), 3),
        boundsMs: gaps.boundsMs,
        counts: gaps.counts
      },
      wakeMeanMs: round(pa && pb && wakes > 0 ? (pb.wake.totalMs - pa.wake.totalMs) / wakes : Number.NaN, 4),
      grants: { atOnce: pa && pb ? pb.grants.atOnce - pa.grants.atOnce : 0, handedOver: pa && pb ? pb.grants.handedOver - pa.grants.handedOver : 0 },
      releasesNoWaiter: pa && pb ? pb.releases.noWaiter - pa.releases.noWaiter : 0,
      loopDelayMs: { stub: round(loopMeanMs(a?.loopDelay, b?.loopDelay), 2), gateway: round(loopMeanMs(pa?.loopDelay, pb?.loopDelay), 2) }
    }
  })
}

/** Idle workers at the stub in each second of the run (from the samples nearest s and s + 1). */
export function idleWorkersPerSecond (usage: ReadonlyArray<{ tMs: number, value: Pick<UsageSample, 'clockMs' | 'workers' | 'busyWorkerMs'> }>, seconds: number): number[] {
  return Array.from({ length: seconds }, (_, s) => {
    const a = nearest(usage, s * 1000)
    const b = nearest(usage, (s + 1) * 1000)
    const ms = a && b ? b.clockMs - a.clockMs : 0
    return a && b && ms > 0 ? round(b.workers - (b.busyWorkerMs - a.busyWorkerMs) / ms, 2) : Number.NaN
  })
}

export function parseProbe (body: string): PermitProbeSnapshot { return JSON.parse(body) as PermitProbeSnapshot }
