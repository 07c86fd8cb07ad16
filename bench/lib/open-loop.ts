// Open-loop (fixed-rate, wrk2-style) load: requests leave on a schedule whatever the server
// does, and latency counts from the scheduled time, so a stalled server cannot hide its queue
// (no coordinated omission). Each request is aborted at the client timeout.
import { Pool } from 'undici'
import type { RequestRecord } from './per-second.js'
import { schedule } from './per-second.js'

export interface OpenLoopOptions {
  /** Origin, e.g. http://127.0.0.1:8080 */
  url: string
  path: string
  phases: ReadonlyArray<{ rate: number, durationS: number }>
  timeoutMs: number
  /** Socket cap; enough for rate × timeout so the client is never the queue. */
  connections?: number
  /** Called about every 100 ms with the ms elapsed (for pollers). */
  onTick?: (elapsedMs: number) => void
}

export interface OpenLoopRun {
  records: RequestRecord[]
  durationMs: number
  /** How late the generator sent requests, p99 in ms (a sanity check of the generator itself). */
  sendLagP99Ms: number
}

export async function openLoop (opts: OpenLoopOptions): Promise<OpenLoopRun> {
  const due = schedule(opts.phases)
  const pool = new Pool(opts.url, { connections: opts.connections ?? 1024, pipelining: 1, keepAliveTimeout: 30_000 })
  const records: RequestRecord[] = []
  const lags: number[] = []
  const inflight = new Set<Promise<void>>()
  const t0 = performance.now()
  let next = 0
  let lastTick = 0

  const fire = (dueMs: number): void => {
    const ac = new AbortController()
    const sentAt = performance.now() - t0
    lags.push(sentAt - dueMs)
    const timer = setTimeout(() => ac.abort(), Math.max(1, opts.timeoutMs - (sentAt - dueMs)))
    const p = pool.request({ path: opts.path, method: 'GET', signal: ac.signal, headersTimeout: opts.timeoutMs + 1000, bodyTimeout: opts.timeoutMs + 1000 })
      .then(async (res) => {
        await res.body.dump()
        records.push({ dueMs, latencyMs: performance.now() - t0 - dueMs, status: res.statusCode, timedOut: false })
      }, () => {
        records.push({ dueMs, latencyMs: performance.now() - t0 - dueMs, status: 0, timedOut: ac.signal.aborted })
      })
      .finally(() => { clearTimeout(timer); inflight.delete(p) })
    inflight.add(p)
  }

  await new Promise<void>(resolve => {
    const tick = (): void => {
      const now = performance.now() - t0
      while (next < due.length && (due[next] as number) <= now) fire(due[next++] as number)
      if (now - lastTick >= 100) { lastTick = now; opts.onTick?.(now) }
      if (next >= due.length) { resolve(); return }
      setTimeout(tick, 1)
    }
    tick()
  })
  await Promise.all([...inflight])
  const durationMs = performance.now() - t0
  await pool.close().catch(() => {})
  lags.sort((a, b) => a - b)
  return { records, durationMs, sendLagP99Ms: Math.round((lags[Math.floor(lags.length * 0.99)] ?? 0) * 10) / 10 }
}
