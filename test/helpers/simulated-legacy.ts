// A discrete-event legacy for adaptive-limit tests: `workers(t)` workers, each call holds one for
// `serviceMs(t)` (±10% deterministic jitter) after a FIFO wait, plus a fixed network round trip.
// A gateway in front keeps `demand` callers busy (closed loop) within the limit under test.
// Time is simulated: a minute of traffic runs in milliseconds, the same every run.
import type { AdaptiveLimit } from '../../gateway/src/protection/adaptive-limit.js'

export interface SimOptions {
  workers: (tMs: number) => number
  serviceMs: (tMs: number) => number
  durationMs: number
  /** Callers that always have a request ready (default: unlimited, i.e. 100 000). */
  demand?: number
  networkMs?: number
}

export interface SimSecond {
  t: number
  /** Mean of the limit over the calls dispatched in this second. */
  limit: number
  served: number
  capacity: number
  maxLegacyQueue: number
  /** ms of this second during which every worker was busy. */
  allBusyMs: number
}

interface Call { startedAt: number }

export function simulate (makeLimit: (now: () => number) => AdaptiveLimit, o: SimOptions): SimSecond[] {
  let t = 0
  const limit = makeLimit(() => t)
  const seconds: SimSecond[] = Array.from({ length: Math.ceil(o.durationMs / 1000) }, (_, i) => ({ t: i, limit: 0, served: 0, capacity: 0, maxLegacyQueue: 0, allBusyMs: 0 }))
  const limitSum = seconds.map(() => ({ sum: 0, n: 0 }))
  const events: Array<{ at: number, call: Call }> = [] // completions, kept sorted by `at`
  const queue: Call[] = []
  const net = o.networkMs ?? 0.5
  let seed = 42
  const jitter = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return 0.9 + 0.2 * (seed / 2147483648) }
  let busy = 0
  let inflight = 0
  const demand = o.demand ?? 100_000

  const schedule = (at: number, call: Call): void => {
    let i = events.length
    while (i > 0 && (events[i - 1] as { at: number }).at > at) i--
    events.splice(i, 0, { at, call })
  }
  const startService = (call: Call): void => { busy++; schedule(t + o.serviceMs(t) * jitter() + net, call) }
  const fill = (): void => {
    while (inflight < limit.limit && inflight < demand) {
      inflight++
      const s = limitSum[Math.floor(t / 1000)]
      if (s) { s.sum += limit.limit; s.n++ }
      const call = { startedAt: t }
      if (busy < o.workers(t)) startService(call)
      else queue.push(call)
      const sec = seconds[Math.floor(t / 1000)]
      if (sec && queue.length > sec.maxLegacyQueue) sec.maxLegacyQueue = queue.length
    }
  }
  fill()
  while (events.length > 0 && t < o.durationMs) {
    const next = events.shift() as { at: number, call: Call }
    // Time every worker was busy, split over the seconds it spans.
    if (busy >= o.workers(t)) {
      for (let from = t; from < next.at;) {
        const to = Math.min(next.at, (Math.floor(from / 1000) + 1) * 1000)
        const sec = seconds[Math.floor(from / 1000)]
        if (sec) sec.allBusyMs += to - from
        from = to
      }
    }
    t = next.at
    busy--
    inflight--
    const sec = seconds[Math.floor(t / 1000)]
    if (sec) sec.served++
    while (queue.length > 0 && busy < o.workers(t)) startService(queue.shift() as Call)
    limit.onSample({ rttMs: t - next.call.startedAt, dropped: false, inflight: inflight + 1 })
    fill()
  }
  return seconds.map((s, i) => {
    const l = limitSum[i] as { sum: number, n: number }
    return { ...s, limit: l.n > 0 ? l.sum / l.n : Number.NaN, capacity: o.workers(i * 1000) * 1000 / o.serviceMs(i * 1000) }
  })
}

/** Mean of one field over seconds [from, to). */
export function mean (seconds: readonly SimSecond[], from: number, to: number, pick: (s: SimSecond) => number): number {
  const xs = seconds.slice(from, to).map(pick)
  return xs.reduce((a, b) => a + b, 0) / xs.length
}
