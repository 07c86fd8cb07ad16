// µs per decision of the state distributed mode shares, in this process (no HTTP): a rate check
// (global + client bucket, one Lua script) and a legacy permit (acquire + release), in memory
// and through Redis, one caller at a time (latency: one round trip) and 32 concurrent callers
// (throughput: round trips pipelined on the one connection). The Redis budget is raised to 1 s
// here so a stall of this loaded process measures slow, not "degraded" local decisions.
import { openDistributed } from '../../gateway/src/distributed/open-distributed.js'
import { createMemoryRateLimiter } from '../../gateway/src/protection/rate-limiter.port.js'
import type { AsyncRateLimiter } from '../../gateway/src/protection/rate-limiter.port.js'
import { ConcurrencyLimiter } from '../../gateway/src/protection/concurrency-limiter.js'
import type { Release } from '../../gateway/src/protection/concurrency-limiter.js'

export interface MicroFigures {
  operation: string
  memoryUs: number
  redisUs: number
  redisConcurrentUs: number
  redisConcurrentPerS: number
}

const CONCURRENCY = 32
const RULE = { perSecond: 1e6, burst: 1e6 }

async function perOp (n: number, op: (i: number) => Promise<unknown>): Promise<number> {
  const started = performance.now()
  for (let i = 0; i < n; i++) await op(i)
  return ((performance.now() - started) * 1000) / n
}

async function perOpConcurrent (n: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0
  const started = performance.now()
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (next < n) await op(next++) }))
  return ((performance.now() - started) * 1000) / n
}

const r2 = (n: number): number => Math.round(n * 100) / 100

export async function measureMicro (o: { redisUrl: string, keyPrefix: string, ops: number }): Promise<{ rows: MicroFigures[], degradedDuring: boolean }> {
  const dist = await openDistributed({ url: o.redisUrl, config: { expectedReplicas: 1, redisTimeoutMs: 1000, leaseTtlMs: 5000, keyPrefix: `${o.keyPrefix}micro:` }, replicaName: 'bench-micro' })
  let degradedDuring = false
  dist.degraded.onDegradedChange(d => { if (d) degradedDuring = true })
  try {
    const checks = (i: number): Parameters<AsyncRateLimiter['check']>[0] => [
      { scope: 'global', key: 'legacy', rule: RULE },
      { scope: 'client', key: `c${i % 64}`, rule: RULE }
    ]
    const memory = createMemoryRateLimiter()
    const redis = dist.rateLimiter()
    const queue = { maxSize: 1024, maxWaitMs: 1000 }
    const local = new ConcurrencyLimiter({ name: 'legacy', maxConcurrency: 1024, queue })
    const sem = dist.semaphore({ name: 'legacy', maxConcurrency: 1024, queue })
    const permit = async (l: { acquire: () => Promise<Release> }): Promise<void> => { (await l.acquire())() }
    const warm = Math.min(200, o.ops)
    await perOp(warm, i => redis.check(checks(i)))
    await perOp(warm, () => permit(sem))
    const rate: MicroFigures = {
      operation: 'rate check (global + client bucket)',
      memoryUs: r2(await perOp(o.ops * 10, i => memory.check(checks(i)))),
      redisUs: r2(await perOp(o.ops, i => redis.check(checks(i)))),
      redisConcurrentUs: r2(await perOpConcurrent(o.ops, i => redis.check(checks(i)))),
      redisConcurrentPerS: 0
    }
    const sema: MicroFigures = {
      operation: 'legacy permit acquire + release',
      memoryUs: r2(await perOp(o.ops * 10, () => permit(local))),
      redisUs: r2(await perOp(o.ops, () => permit(sem))),
      redisConcurrentUs: r2(await perOpConcurrent(o.ops, () => permit(sem))),
      redisConcurrentPerS: 0
    }
    const rows = [rate, sema].map(r => ({ ...r, redisConcurrentPerS: Math.round(1e6 / r.redisConcurrentUs) }))
    return { rows, degradedDuring }
  } finally {
    await dist.close()
  }
}
