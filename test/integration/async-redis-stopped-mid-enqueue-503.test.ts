// Redis SIGKILLed in the middle of a burst of async POSTs: every request is answered either 202
// (Redis executed the enqueue script) or 503 GW_ERR_ASYNC_QUEUE_WRITE + Retry-After — and every
// 202'd job is still there after Redis restarts from its AOF (appendfsync always): nothing
// acknowledged is lost. While Redis is down new writes get 503 at once; once it is back they get 202.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { redisTest } from '../helpers/redis-gate.js'
import { Pool } from 'undici'
import { RedisJobQueue } from '../../gateway/src/async/redis-job-queue.js'
import { billingBody, waitFor } from '../helpers/async.js'
import { startAofRedis, startQueueGateway } from '../helpers/async-redis.js'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'

redisTest('Redis killed mid-burst: 202 or 503, never acknowledged-then-lost', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-redis-aof-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  const redis = await startAofRedis(t, dir)
  const stub = await startTestLegacyStub(t, { maxConcurrency: 4, latencyMs: 1 })
  const queue = await RedisJobQueue.open({ url: redis.url, maxQueuedJobs: 100_000, commandTimeoutMs: 500 })
  t.teardown(() => queue.close())
  t.equal(queue.durability.appendfsync, 'always')
  const gw = await startQueueGateway(t, { legacyUrl: stub.url, queue, startWorker: false })
  const client = new Pool(gw.url, { connections: 32 })
  t.teardown(() => client.close())

  const accepted: string[] = []
  const refused: Array<{ code: string, retryAfter: string | string[] | undefined }> = []
  const other: number[] = []
  const run = { stop: false }
  let i = 0
  const sender = async (): Promise<void> => {
    while (!run.stop) {
      const res = await client.request({ method: 'POST', path: '/api/billings', headers: { 'content-type': 'application/json' }, body: billingBody(i++) })
      const body = await res.body.json() as { jobId?: string, code?: string }
      if (res.statusCode === 202) accepted.push(body.jobId!)
      else if (res.statusCode === 503) refused.push({ code: body.code!, retryAfter: res.headers['retry-after'] })
      else other.push(res.statusCode)
    }
  }
  const senders = Array.from({ length: 32 }, sender)
  await waitFor('some accepted', () => accepted.length >= 300, 10_000, 5)
  await redis.kill()
  const atKill = accepted.length
  await waitFor('refusals while down', () => refused.length >= 50, 10_000, 5)
  run.stop = true
  await Promise.all(senders)
  t.comment(`${accepted.length} acknowledged (${atKill} before the kill), ${refused.length} refused with 503`)
  t.same(other, [], 'no status but 202 and 503')
  t.ok(refused.length >= 50)
  t.ok(refused.every(r => r.code === 'GW_ERR_ASYNC_QUEUE_WRITE' && r.retryAfter === '5'), 'typed 503 with Retry-After')

  await redis.start() // replays the AOF
  await waitFor('queue reconnected', () => queue.client.status === 'ready', 10_000, 20)
  const missing: string[] = []
  for (const id of accepted) if (await queue.get(id) === undefined) missing.push(id)
  t.same(missing, [], `all ${accepted.length} acknowledged jobs survived the crash`)
  t.equal((await queue.counts()).queued >= accepted.length, true, 'and they are queued')

  const after = await client.request({ method: 'POST', path: '/api/billings', headers: { 'content-type': 'application/json' }, body: billingBody(i++) })
  await after.body.dump()
  t.equal(after.statusCode, 202, 'accepts again once Redis is back')
})
