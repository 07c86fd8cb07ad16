// Closed-loop load with autocannon (N connections, pipelining 1, each sends its next request
// when the previous answer arrives): the throughput ceiling of a contender.
import autocannon from 'autocannon'
import type { RoundFigures } from './stats.js'

export interface ClosedLoopOptions {
  url: string
  connections: number
  durationS: number
}

export interface ClosedLoopRound extends RoundFigures {
  total: number
  /** 2xx + non-2xx answers (what the contender served; transport errors excluded). */
  answered: number
  non2xx: number
  timeouts: number
}

export async function closedLoop (opts: ClosedLoopOptions): Promise<ClosedLoopRound> {
  const r = await autocannon({ url: opts.url, connections: opts.connections, pipelining: 1, duration: opts.durationS, timeout: 10 })
  const total = r['2xx'] + r.non2xx + r.errors
  return {
    rps: Math.round(r['2xx'] / r.duration),
    p50: r.latency.p50,
    p99: r.latency.p99,
    p999: r.latency.p99_9,
    errors: r.non2xx + r.errors,
    total,
    answered: r['2xx'] + r.non2xx,
    non2xx: r.non2xx,
    timeouts: r.timeouts
  }
}
