// Contenders under the overhead loads: a warm-up round each, then N measured rounds of the
// closed-loop load and N of the open-loop load; medians per figure. measureInterleaved runs
// round i of every contender before round i+1 of any, so a swing in the machine's load (other
// jobs) spreads over all contenders instead of landing on one.
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

export async function measureInterleaved (targets: ReadonlyArray<{ name: string, url: string }>, load: OverheadLoad,
  log: (m: string) => void): Promise<Array<{ name: string, figures: ContenderFigures }>> {
  const closed = new Map(targets.map(t => [t.name, [] as ClosedLoopRound[]]))
  const open = new Map(targets.map(t => [t.name, [] as Array<RoundFigures & { sendLagP99Ms: number }>]))
  for (const t of targets) await closedLoop({ url: t.url + load.path, connections: load.connections, durationS: load.warmupS })
  for (let i = 0; i < load.rounds; i++) {
    for (const t of targets) {
      const r = await closedLoop({ url: t.url + load.path, connections: load.connections, durationS: load.closedS })
      log(`    ${t.name} closed round ${i + 1}: ${r.rps} req/s p50 ${r.p50} p99 ${r.p99} ms errors ${r.errors}`)
      closed.get(t.name)!.push(r)
    }
  }
  for (let i = 0; i < load.rounds; i++) {
    for (const t of targets) {
      const r = await openRound(t.url, load.path, load.openRate, load.openS)
      log(`    ${t.name} open round ${i + 1}: ${r.rps} req/s p50 ${r.p50} p99 ${r.p99} p99.9 ${r.p999} ms errors ${r.errors}`)
      open.get(t.name)!.push(r)
    }
  }
  return targets.map(t => {
    const c = closed.get(t.name)!
    const o = open.get(t.name)!
    return { name: t.name, figures: { closed: { median: medianRound(c), rounds: c }, open: { rate: load.openRate, median: medianRound(o), rounds: o } } }
  })
}
