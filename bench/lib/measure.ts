// Contenders under the overhead loads: a warm-up round each, then N measured rounds of the
// closed-loop load and N of the open-loop load; medians per figure. measureInterleaved runs
// round i of every contender before round i+1 of any, so a swing in the machine's load (other
// jobs) spreads over all contenders instead of landing on one, and starts round i at contender
// i mod n, so no contender always runs right after the same one (a saturated contender's last
// requests and the origin's catch-up landed on whoever came next). Each measured round also
// reads the contender's CPU time (proc-cpu.ts) and divides it by the requests it answered.
// An open-loop round first runs `openWarmupS` at the rate on the same connections, left out of
// every figure (wrk2's calibration period): otherwise its p99 measures the client's connection
// ramp (up to hundreds of new sockets in the first second), not the contender at that rate.
import { closedLoop } from './closed-loop.js'
import type { ClosedLoopRound } from './closed-loop.js'
import { openLoop } from './open-loop.js'
import { cpuMsOfTree, cpuUsPerRequest, withCpu } from './proc-cpu.js'
import type { RoundFigures } from './stats.js'
import { median, medianRound, summarizeLatencies } from './stats.js'

export interface OverheadLoad {
  connections: number
  closedS: number
  warmupS: number
  openRate: number
  openS: number
  /** Unmeasured lead-in of every open-loop round at the same rate (default 1 s). */
  openWarmupS?: number
  rounds: number
  path: string
}

/** A contender as the measurement sees it: where to send load, whose CPU to read. */
export interface MeasureTarget {
  name: string
  url: string
  /** The process that serves (the origin itself for `direct`); undefined = CPU not measured. */
  pid?: number | undefined
}

/** CPU of the contender's process tree in a round ÷ requests it answered; NaN when unknown. */
export interface CpuFigure { cpuUsPerReq: number }

export type OpenRound = RoundFigures & { sendLagP99Ms: number, answered: number }
export type MedianFigures = RoundFigures & CpuFigure

export interface ContenderFigures {
  closed: { median: MedianFigures, rounds: Array<ClosedLoopRound & CpuFigure> }
  open: { rate: number, median: MedianFigures, rounds: Array<OpenRound & CpuFigure> }
}

/**
 * One open-loop round: `warmupS` at the rate, then `durationS` measured. Figures (and the CPU
 * read through `cpu`, from the first tick after the warm-up) count only requests due after it.
 */
export async function openRound (url: string, path: string, rate: number, durationS: number,
  warmupS = 0, cpu?: () => number | undefined): Promise<OpenRound & { cpuMs: number | undefined }> {
  const warmupMs = warmupS * 1000
  let measureFromMs = warmupMs > 0 ? Number.POSITIVE_INFINITY : 0
  let cpuAtStart = warmupMs > 0 ? undefined : cpu?.()
  const run = await openLoop({
    url,
    path,
    phases: [{ rate, durationS: warmupS + durationS }],
    timeoutMs: 10_000,
    onTick: (elapsedMs) => {
      if (elapsedMs < warmupMs || measureFromMs !== Number.POSITIVE_INFINITY) return
      measureFromMs = elapsedMs
      cpuAtStart = cpu?.()
    }
  })
  const cpuAtEnd = cpu?.()
  const measured = run.records.filter(r => r.dueMs >= measureFromMs)
  const ok = measured.filter(r => r.status >= 200 && r.status < 300)
  const lat = summarizeLatencies(measured.map(r => r.latencyMs))
  const r1 = (n: number): number => Math.round(n * 100) / 100
  const measuredMs = Math.max(1, run.durationMs - (measureFromMs === Number.POSITIVE_INFINITY ? run.durationMs : measureFromMs))
  return {
    rps: Math.round(ok.length / (measuredMs / 1000)),
    p50: r1(lat.p50),
    p99: r1(lat.p99),
    p999: r1(lat.p999),
    errors: measured.length - ok.length,
    sendLagP99Ms: run.sendLagP99Ms,
    answered: measured.filter(r => r.status > 0).length,
    cpuMs: cpuAtStart === undefined || cpuAtEnd === undefined ? undefined : cpuAtEnd - cpuAtStart
  }
}

/** Per-figure medians over rounds, CPU per request included (unknown rounds left out). */
export function medianWithCpu (rounds: ReadonlyArray<RoundFigures & CpuFigure>): MedianFigures {
  return { ...medianRound(rounds), cpuUsPerReq: median(rounds.map(r => r.cpuUsPerReq)) }
}

async function closedRound (t: MeasureTarget, load: OverheadLoad): Promise<ClosedLoopRound & CpuFigure> {
  const { result, cpuMs } = await withCpu(t.pid, () => closedLoop({ url: t.url + load.path, connections: load.connections, durationS: load.closedS }))
  return { ...result, cpuUsPerReq: cpuUsPerRequest(cpuMs, result.answered) }
}

async function openRoundWithCpu (t: MeasureTarget, load: OverheadLoad): Promise<OpenRound & CpuFigure> {
  const { cpuMs, ...result } = await openRound(t.url, load.path, load.openRate, load.openS, load.openWarmupS ?? 1, () => cpuMsOfTree(t.pid))
  return { ...result, cpuUsPerReq: cpuUsPerRequest(cpuMs, result.answered) }
}

/** Round i's order: the contenders from i mod n on, wrapping around. */
export function roundOrder<T> (targets: readonly T[], round: number): T[] {
  const from = targets.length === 0 ? 0 : round % targets.length
  return [...targets.slice(from), ...targets.slice(0, from)]
}

const closedLine = (r: ClosedLoopRound & CpuFigure): string => `${r.rps} req/s p50 ${r.p50} p99 ${r.p99} ms errors ${r.errors} cpu ${r.cpuUsPerReq} µs/req`
const openLine = (r: OpenRound & CpuFigure): string => `${r.rps} req/s p50 ${r.p50} p99 ${r.p99} p99.9 ${r.p999} ms errors ${r.errors} cpu ${r.cpuUsPerReq} µs/req`

function figuresOf (load: OverheadLoad, closed: Array<ClosedLoopRound & CpuFigure>, open: Array<OpenRound & CpuFigure>): ContenderFigures {
  return { closed: { median: medianWithCpu(closed), rounds: closed }, open: { rate: load.openRate, median: medianWithCpu(open), rounds: open } }
}

export async function measureOverhead (target: MeasureTarget, load: OverheadLoad, log: (m: string) => void): Promise<ContenderFigures> {
  await closedLoop({ url: target.url + load.path, connections: load.connections, durationS: load.warmupS })
  const closed: Array<ClosedLoopRound & CpuFigure> = []
  for (let i = 0; i < load.rounds; i++) {
    const r = await closedRound(target, load)
    log(`    closed round ${i + 1}: ${closedLine(r)}`)
    closed.push(r)
  }
  const open: Array<OpenRound & CpuFigure> = []
  for (let i = 0; i < load.rounds; i++) {
    const r = await openRoundWithCpu(target, load)
    log(`    open round ${i + 1}: ${openLine(r)}`)
    open.push(r)
  }
  return figuresOf(load, closed, open)
}

export async function measureInterleaved (targets: readonly MeasureTarget[], load: OverheadLoad,
  log: (m: string) => void): Promise<Array<{ name: string, figures: ContenderFigures }>> {
  const closed = new Map(targets.map(t => [t.name, [] as Array<ClosedLoopRound & CpuFigure>]))
  const open = new Map(targets.map(t => [t.name, [] as Array<OpenRound & CpuFigure>]))
  for (const t of targets) await closedLoop({ url: t.url + load.path, connections: load.connections, durationS: load.warmupS })
  for (let i = 0; i < load.rounds; i++) {
    for (const t of roundOrder(targets, i)) {
      const r = await closedRound(t, load)
      log(`    ${t.name} closed round ${i + 1}: ${closedLine(r)}`)
      closed.get(t.name)!.push(r)
    }
  }
  for (let i = 0; i < load.rounds; i++) {
    for (const t of roundOrder(targets, i)) {
      const r = await openRoundWithCpu(t, load)
      log(`    ${t.name} open round ${i + 1}: ${openLine(r)}`)
      open.get(t.name)!.push(r)
    }
  }
  return targets.map(t => ({ name: t.name, figures: figuresOf(load, closed.get(t.name)!, open.get(t.name)!) }))
}
