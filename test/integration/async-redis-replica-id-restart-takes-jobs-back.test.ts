// startGateway on the Redis job queue with `distributed.replicaId: ${POD_NAME}` (a StatefulSet pod
// name), SIGKILLed while deliveries are in flight and restarted with the same POD_NAME: the
// consumer name is the same, so the new process takes its interrupted jobs back at start instead
// of waiting claimIdleMs (60 s, the default here). Every acknowledged job reaches legacy once.
// Without the setting the restarted process has a new consumer name and the interrupted jobs
// wait 60 s: the 30 s bound below fails.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { redisTest } from '../helpers/redis-gate.js'
import type { Test } from 'tap'
import { Redis } from 'ioredis'
import { billingBody, legacyBillings, waitFor } from '../helpers/async.js'
import { asyncWiredDoc } from '../helpers/async-wired.js'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'
import { SHARED_REDIS_URL, testPrefix } from '../helpers/redis.js'
import { WIRED_ADMIN_TOKEN, writeConfigFile } from '../helpers/wired-gateway.js'

const CHILD = fileURLToPath(new URL('../fixtures/async/wired-redis-gateway-child.ts', import.meta.url))
const N = 200

/** The child as a real process (tap's TypeScript loader via execArgv; not bundled, since a bundle
 * containing server.ts would also run its own main()). Resolves with its public URL. */
async function spawnGateway (t: Test, env: Record<string, string>): Promise<{ url: string, kill: () => Promise<void> }> {
  const child = spawn(process.execPath, [...process.execArgv, CHILD], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<void>(resolve => { child.once('exit', () => { resolve() }) })
  const kill = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  }
  t.teardown(kill)
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error('gateway child did not report in 30 s')) }, 30_000)
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const line = out.split('\n').find(l => l.startsWith('{"url"'))
      if (line !== undefined) { clearTimeout(timer); resolve((JSON.parse(line) as { url: string }).url) }
    })
    child.once('exit', code => { clearTimeout(timer); reject(new Error(`gateway child exited with ${String(code)}`)) })
  })
  return { url, kill }
}

redisTest('restarted with the same replicaId: interrupted jobs are taken back at once, delivered once', async t => {
  const dir = t.testdir()
  const stub = await startTestLegacyStub(t, { maxConcurrency: 2, latencyMs: 15 })
  const keyPrefix = testPrefix(t)
  const configPath = join(dir, 'gateway.yaml')
  // eslint-disable-next-line no-template-curly-in-string -- the config's literal ${VAR} interpolation
  writeConfigFile(configPath, { ...asyncWiredDoc({ legacyUrl: stub.url }), distributed: { keyPrefix, replicaId: '${POD_NAME}' } })
  const env = { CONFIG_PATH: configPath, STATE_DIR: join(dir, 'var'), REDIS_URL: SHARED_REDIS_URL, GATEWAY_ADMIN_TOKEN: WIRED_ADMIN_TOKEN, POD_NAME: 'gateway-0' }

  const first = await spawnGateway(t, env)
  const acked = new Set<string>()
  for (let i = 0; i < N; i += 50) {
    const batch = await Promise.all(Array.from({ length: 50 }, async (_, k) => {
      const res = await fetch(`${first.url}/api/billings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: billingBody(i + k) })
      return { status: res.status, body: await res.json() as { jobId: string } }
    }))
    for (const r of batch) if (r.status === 202) acked.add(r.body.jobId)
  }
  t.equal(acked.size, N, 'all acknowledged')
  await waitFor('deliveries under way', async () => {
    const s = await stub.stats()
    return s.billings >= N / 4 && s.inflight > 0
  }, 15_000, 5)
  await first.kill()
  const atKill = (await stub.stats()).billings
  t.ok(atKill < N, `killed with ${atKill} of ${N} delivered`)

  const redis = new Redis(SHARED_REDIS_URL)
  t.teardown(() => redis.disconnect())
  const pendingOf = async (name: string): Promise<number> => {
    const rows = await redis.xinfo('CONSUMERS', `${keyPrefix}jobs:stream`, 'delivery') as Array<Array<string | number>>
    for (const row of rows) {
      const info = new Map<string, string | number>()
      for (let i = 0; i + 1 < row.length; i += 2) info.set(String(row[i]), row[i + 1]!)
      if (info.get('name') === name) return Number(info.get('pending'))
    }
    return -1
  }
  const interrupted = await pendingOf('gateway-0')
  t.ok(interrupted > 0, `the killed replica left ${interrupted} jobs pending under its consumer name gateway-0`)

  const spawnedAt = performance.now()
  await spawnGateway(t, env)
  // Timed from "listening" (process start under the TS loader takes seconds on a loaded host).
  const restartedAt = performance.now()
  // The queue's own record, not legacy's count: legacy finishes the killed process's in-flight
  // calls by itself, but their jobs stay `delivering` until a consumer takes them back.
  const delivered = async (): Promise<number> => await redis.zcard(`${keyPrefix}jobs:state:delivered`)
  await waitFor('every job settled as delivered, well before claimIdleMs (60 s)', async () => await delivered() >= N, 30_000, 50)
  const seconds = (performance.now() - restartedAt) / 1000
  t.equal(await delivered(), N, 'every job is delivered in the queue')
  t.ok(seconds < 30, `all ${N} delivered ${seconds.toFixed(1)} s after the restarted gateway listened (claimIdleMs 60 s)`)
  t.comment(`at kill ${atKill}/${N}, ${interrupted} interrupted; process start ${((restartedAt - spawnedAt) / 1000).toFixed(1)} s; all delivered ${seconds.toFixed(2)} s after listening; legacy idempotent replays ${(await stub.stats()).idempotentReplays}`)

  await new Promise(resolve => setTimeout(resolve, 300)) // a duplicate would show up here
  const billings = await legacyBillings(stub.url)
  t.equal(billings.length, N, 'exactly N billings')
  t.same(new Set(billings.map(b => b.IdempotencyKey)), acked, 'one billing per acknowledged job id')
  t.equal(await pendingOf('gateway-0'), 0, 'nothing left pending under gateway-0')
})
