// Closed-loop load from a function (for clients autocannon cannot be: the AWS SDK): `concurrency`
// loops each await one call after the other for `durationS`.
import type { RoundFigures } from './stats.js'
import { summarizeLatencies } from './stats.js'

export async function closedLoopFn (call: () => Promise<boolean>, concurrency: number, durationS: number): Promise<RoundFigures> {
  const latencies: number[] = []
  let errors = 0
  const t0 = performance.now()
  const until = t0 + durationS * 1000
  const loop = async (): Promise<void> => {
    while (performance.now() < until) {
      const start = performance.now()
      let ok = false
      try { ok = await call() } catch { ok = false }
      if (ok) latencies.push(performance.now() - start)
      else errors++
    }
  }
  await Promise.all(Array.from({ length: concurrency }, loop))
  const elapsedS = (performance.now() - t0) / 1000
  const lat = summarizeLatencies(latencies)
  const r2 = (n: number): number => Math.round(n * 100) / 100
  return { rps: Math.round(latencies.length / elapsedS), p50: r2(lat.p50), p99: r2(lat.p99), p999: r2(lat.p999), errors }
}
