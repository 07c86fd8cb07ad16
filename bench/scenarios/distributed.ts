// Scenario distributed-state: what sharing state through Redis costs per request. Two gateway
// replicas (child processes, startGateway as shipped) in front of the fast origin, load split
// evenly between them, once with in-memory state (each replica its own buckets and permits)
// and once with REDIS_URL (one token-bucket script + one permit lease per request, shared by
// both replicas). Plus the µs per decision of the limiter and the semaphore, in process.
// Redis: BENCH_REDIS_URL, the machine's 127.0.0.1:6379, or a private redis-server (bench-redis.ts).
import { closedLoop } from '../lib/closed-loop.js'
import type { ClosedLoopRound } from '../lib/closed-loop.js'
import type { ScenarioContext, ScenarioOutcome } from '../lib/context.js'
import { benchRedis } from '../lib/bench-redis.js'
import { DISTRIBUTED_ROUTE_PATH } from '../lib/distributed-config.js'
import { measureMicro } from '../lib/distributed-micro.js'
import type { MicroFigures } from '../lib/distributed-micro.js'
import { spawnReplica } from '../lib/distributed-replicas.js'
import type { RunningReplica } from '../lib/distributed-replicas.js'
import { poll } from '../lib/poller.js'
import { metaOf, resultFile, writeResult } from '../lib/results.js'
import { scaled } from '../lib/scale.js'
import { medianRound, ratio } from '../lib/stats.js'
import type { RoundFigures } from '../lib/stats.js'
import { markdownTable } from '../lib/table.js'

export const NAME = 'distributed-state'
const REPLICAS = 2

export interface ModeFigures {
  mode: 'in-memory' | 'redis'
  /** Both replicas together: req/s summed; p50 the mean, p99 the higher of the two. */
  median: RoundFigures
  rounds: RoundFigures[]
  /** stateMode each replica reported at start ('file' in memory, 'redis' shared). */
  stateModes: string[]
  /** A replica reported gateway_distributed_degraded 1 during the measured rounds (figures then partly local). */
  degradedSeen: boolean
}

function combine (a: ClosedLoopRound, b: ClosedLoopRound): RoundFigures {
  return { rps: a.rps + b.rps, p50: (a.p50 + b.p50) / 2, p99: Math.max(a.p99, b.p99), p999: Math.max(a.p999, b.p999), errors: a.errors + b.errors }
}

interface ModeRun {
  mode: ModeFigures['mode']
  replicas: RunningReplica[]
  rounds: RoundFigures[]
  degradedSeen: boolean
}

async function runRound (run: ModeRun, connections: number, durationS: number): Promise<RoundFigures> {
  const [a, b] = await Promise.all(run.replicas.map(r => closedLoop({ url: r.url + DISTRIBUTED_ROUTE_PATH, connections: connections / REPLICAS, durationS })))
  return combine(a as ClosedLoopRound, b as ClosedLoopRound)
}

/**
 * Both pairs of replicas run side by side and the measured rounds alternate between the modes
 * (memory first in odd rounds, Redis first in even ones): on a shared, loaded machine the load
 * drifts by the minute, and alternating spreads that drift over both modes instead of one.
 */
async function measureModes (ctx: ScenarioContext, origin: string, redis: { url: string, keyPrefix: string }, load: { connections: number, warmupS: number, closedS: number }): Promise<ModeFigures[]> {
  const runs: ModeRun[] = (['in-memory', 'redis'] as const).map(mode => ({ mode, replicas: [], rounds: [], degradedSeen: false }))
  try {
    for (const run of runs) {
      const spec = { legacyUrl: origin, keyPrefix: `${redis.keyPrefix}${run.mode}:`, replicas: REPLICAS, ...(run.mode === 'redis' ? { redisUrl: redis.url } : {}) }
      for (let i = 0; i < REPLICAS; i++) run.replicas.push(await spawnReplica(spec))
      await runRound(run, load.connections, load.warmupS)
    }
    for (let i = 0; i < ctx.rounds; i++) {
      for (const run of i % 2 === 0 ? runs : [...runs].reverse()) {
        const gauges = run.replicas.map(r => poll(`${r.adminUrl}/metrics`, 250, body => /^gateway_distributed_degraded 1$/m.test(body)))
        try {
          const r = await runRound(run, load.connections, load.closedS)
          ctx.log(`    ${run.mode} round ${i + 1}: ${r.rps} req/s p50 ${r.p50} p99 ${r.p99} ms errors ${r.errors}`)
          run.rounds.push(r)
        } finally {
          await Promise.all(gauges.map(g => g.stop()))
        }
        if (gauges.some(g => g.samples.some(s => s.value))) run.degradedSeen = true
      }
    }
    return runs.map(run => ({ mode: run.mode, median: medianRound(run.rounds), rounds: run.rounds, stateModes: run.replicas.map(r => r.stateMode), degradedSeen: run.degradedSeen }))
  } finally {
    await Promise.all(runs.flatMap(run => run.replicas.map(r => r.stop())))
  }
}

export function distributedTables (modes: readonly ModeFigures[], micro: readonly MicroFigures[]): string {
  const mem = modes.find(m => m.mode === 'in-memory')?.median
  const e2e = markdownTable(['state (2 replicas)', 'req/s', 'vs in-memory', 'p50 ms', 'p99 ms', 'errors', 'degraded seen'],
    modes.map(m => [m.mode, m.median.rps, ratio(m.median.rps, mem?.rps), m.median.p50, m.median.p99, m.median.errors, m.degradedSeen ? 'yes' : 'no']))
  const per = markdownTable(['decision', 'in-memory µs', 'Redis µs (1 caller)', 'Redis µs (32 concurrent)', 'Redis decisions/s (32 concurrent)'],
    micro.map(r => [r.operation, r.memoryUs, r.redisUs, r.redisConcurrentUs, r.redisConcurrentPerS]))
  return `${e2e}\n\n${per}`
}

export async function distributedState (ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const load = { connections: 64, warmupS: scaled(2, ctx.scale), closedS: scaled(8, ctx.scale, 1) }
  const microOps = Math.max(200, Math.round(3000 * ctx.scale))
  const redis = await benchRedis()
  ctx.log(`  redis: ${redis.url} (${redis.kind}), key prefix ${redis.keyPrefix}`)
  const origin = await spawnReplica({ origin: true })
  const modes: ModeFigures[] = []
  let micro: Awaited<ReturnType<typeof measureMicro>>
  try {
    ctx.log('  in-memory and redis, rounds alternating')
    modes.push(...await measureModes(ctx, origin.url, redis, load))
    ctx.log(`  µs per decision (${microOps} ops each)`)
    micro = await measureMicro({ redisUrl: redis.url, keyPrefix: redis.keyPrefix, ops: microOps })
  } finally {
    await origin.stop()
    await redis.close()
  }
  const table = distributedTables(modes, micro.rows)
  const data = { replicas: REPLICAS, load, redis: { kind: redis.kind }, modes, micro: { ops: microOps, rows: micro.rows, degradedDuring: micro.degradedDuring } }
  return { scenario: NAME, table, files: [writeResult(ctx.resultsDir, resultFile(NAME, data, metaOf(ctx)))] }
}
