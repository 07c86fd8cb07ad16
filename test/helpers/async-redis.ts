// Redis job-queue test helpers: a gateway replica whose async billing route enqueues into a given
// JobQueue (the async integration over that queue, a real legacy shield and its delivery worker, as
// the wiring does), and a private redis-server with AOF persistence in a test dir that a test may
// SIGKILL and start again on the same port and files; and the bundle of a gateway replica process
// on the Redis queue (test/fixtures/async/redis-gateway-child.ts; run it with async-child.ts
// spawnAsyncChild).
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { build } from 'esbuild'
import type { Test } from 'tap'
import { Redis } from 'ioredis'
import { Pool } from 'undici'
import { openAsyncIntegration } from '../../gateway/src/async/async-setup.js'
import type { DeliveryWorker } from '../../gateway/src/async/delivery-worker.js'
import type { JobQueue } from '../../gateway/src/async/job-queue.port.js'
import { legacyDeliver } from '../../gateway/src/async/legacy-deliver.js'
import { Protection } from '../../gateway/src/protection/protection.js'
import { billingRoute } from './async-route.js'
import { startTestGateway, testConfig } from './gateway.js'
import type { TestGateway } from './gateway.js'

export interface QueueGateway extends TestGateway { queue: JobQueue, worker: DeliveryWorker }

export interface QueueGatewayOptions {
  legacyUrl: string
  queue: JobQueue
  /** Worker concurrency and the replica's legacy permit cap. Default 2. */
  concurrency?: number
  startWorker?: boolean
}

/** One gateway replica on port 0 over `queue`; its worker stops before the gateway closes. */
export async function startQueueGateway (t: Test, o: QueueGatewayOptions): Promise<QueueGateway> {
  const concurrency = o.concurrency ?? 2
  const protection = new Protection({ maxConcurrency: concurrency, queue: { maxSize: 64, maxWaitMs: 1000 }, rateLimit: { perSecond: 100_000, burst: 100_000 } })
  const pool = new Pool(new URL(o.legacyUrl).origin, { connections: 8 })
  // Composed over the given queue instead of build()'s SQLite default; only the worker is started
  // (no retention sweep), as before.
  const jobs = openAsyncIntegration({
    settings: { workerConcurrency: concurrency, pollMs: 50 },
    queue: o.queue,
    legacy: { url: o.legacyUrl, timeoutMs: 2000 },
    deliver: legacyDeliver({ url: o.legacyUrl, dispatcher: pool, timeoutMs: 2000 }),
    shield: protection.legacy,
    stopGraceMs: 1000
  })
  const worker = jobs.worker
  const config = testConfig({ legacy: { url: o.legacyUrl, timeoutMs: 2000 }, routes: [billingRoute()] })
  const gw = await startTestGateway(t, config, { asyncJobs: jobs, protection })
  t.teardown(async () => { await pool.close(); protection.close() })
  t.teardown(() => worker.stop())
  if (o.startWorker !== false) await worker.start()
  return { ...gw, queue: o.queue, worker }
}

async function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address()
      s.close(() => { resolve(typeof addr === 'object' && addr !== null ? addr.port : 0) })
    })
  })
}

export interface AofRedis { url: string, kill: () => Promise<void>, start: () => Promise<void> }

/** A redis-server with `appendonly yes` + `appendfsync always` in `dir`, killed at teardown. */
export async function startAofRedis (t: Test, dir: string): Promise<AofRedis> {
  const port = await freePort()
  const url = `redis://127.0.0.1:${port}`
  let proc: ChildProcess | undefined
  const start = async (): Promise<void> => {
    proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '',
      '--appendonly', 'yes', '--appendfsync', 'always', '--daemonize', 'no', '--logfile', ''], { stdio: 'ignore' })
    const deadline = Date.now() + 10_000
    for (;;) {
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 200 })
      probe.on('error', () => {})
      try {
        await probe.connect()
        await probe.ping() // answers LOADING until the AOF is replayed
        return
      } catch (err) {
        if (Date.now() > deadline) throw err
        await new Promise(resolve => setTimeout(resolve, 50))
      } finally {
        probe.disconnect(false)
      }
    }
  }
  const kill = async (): Promise<void> => {
    const p = proc
    if (p === undefined || p.exitCode !== null || p.signalCode !== null) return
    await new Promise<void>(resolve => { p.once('exit', () => { resolve() }); p.kill('SIGKILL') })
  }
  t.teardown(kill)
  await start()
  return { url, kill, start }
}

const ROOT = new URL('../..', import.meta.url).pathname

/** Bundles the Redis-queue gateway child into `outDir` (inside the project, so packages resolve). */
export async function bundleRedisChild (outDir: string): Promise<string> {
  const outfile = join(outDir, 'redis-gateway-child.mjs')
  await build({
    entryPoints: [join(ROOT, 'test/fixtures/async/redis-gateway-child.ts')],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node24',
    outfile,
    logLevel: 'warning'
  })
  return outfile
}
