// One contender under the overhead loads: a warm-up round, then N measured rounds of the
// closed-loop load and N of the open-loop load; medians per figure.
import { closedLoop } from './closed-loop.js'
import type { ClosedLoopRound } from './closed-loop.js'
import { openLoop } from './open-loop.js'
import type { RoundFigures } from './stats.js'
import { medianRound, summarizeLatencies } from './stats.js'

export interface OverheadLoad {
  connections: number
  closedS: number
  warmupS: number
  openRate: number
  openS: number
  rounds: number
  path: string
}

export interface ContenderFigures {
  closed: { median: RoundFigures, rounds: ClosedLoopRound[] }
  open: { rate: number, median: RoundFigures, rounds: Array<RoundFigures & { sendLagP99Ms: number }> }
}

export async function openRound (url: string, path: string, rate: number, durationS: number): Promise<RoundFigures & { sendLagP99Ms: number }> {
  const run = await openLoop({ url, path, phases: [{ rate, durationS }], timeoutMs: 10_000 })
  const ok = run.records.filter(r => r.status >= 200 && r.status < 300)
  const lat = summarizeLatencies(run.records.map(r => r.latencyMs))
  const r1 = (n: number): number => Math.round(n * 100) / 100
  return { rps: Math.round(ok.length / (run.durationMs / 1000)), p50: r1(lat.p50), p99: r1(lat.p99), p999: r1(lat.p999), errors: run.records.length - ok.length, sendLagP99Ms: run.sendLagP99Ms }
}

export async function measureOverhead (url: string, load: OverheadLoad, log: (m: string) => void): Promise<ContenderFigures> {
  const target = url + load.path
  await closedLoop({ url: target, connections: load.connections, durationS: load.warmupS })
  const closed: ClosedLoopRound[] = []
  for (let i = 0; i < load.rounds; i++) {
    const r = await closedLoop({ url: target, connections: load.connections, durationS: load.closedS })
    log(`    closed round ${i + 1}: ${r.rps} req/s p50 ${r.p50} p99 ${r.p99} ms errors ${r.errors}`)
    closed.push(r)
  }
  const open: Array<RoundFigures & { sendLagP99Ms: number }> = []
  for (let i = 0; i < load.rounds; i++) {
    const r = await openRound(url, load.path, load.openRate, load.openS)
    log(`    open round ${i + 1}: ${r.rps} req/s p50 ${r.p50} p99 ${r.p99} p99.9 ${r.p999} ms errors ${r.errors}`)
    open.push(r)
  }
  return { closed: { median: medianRound(closed), rounds: closed }, open: { rate: load.openRate, median: medianRound(open), rounds: open } }
}
