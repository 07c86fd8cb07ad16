// A delivery whose settlement cannot be written (Redis away at that moment) is not lost and not
// pinned: the job stays `delivering` with its pending entry, this consumer stops heart-beating it,
// and once Redis is back the sweep requeues it after claimIdleMs — redelivered with the same key.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { redisTest } from '../helpers/redis-gate.js'
import { RedisJobQueue } from '../../gateway/src/async/redis-job-queue.js'
import { waitFor } from '../helpers/async.js'
import { startAofRedis } from '../helpers/async-redis.js'
import { newJob } from '../helpers/job-queue-contract.js'

redisTest('markDelivered fails while Redis is down → requeued by the sweep once it is back', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-redis-aof-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  const redis = await startAofRedis(t, dir)
  const q = await RedisJobQueue.open({ url: redis.url, maxQueuedJobs: 10, claimIdleMs: 300, commandTimeoutMs: 500 })
  t.teardown(() => q.close())
  const { job } = await q.enqueue(newJob(1, { clientKey: 'bill-1' }))
  t.equal((await q.claimDue(Date.now(), 5)).length, 1)

  await redis.kill()
  await t.rejects(q.markDelivered(job.id, { status: 201, headers: {}, body: '', truncated: false }, Date.now()), 'the settlement cannot be written')
  await redis.start()
  await waitFor('reconnected', () => q.client.status === 'ready', 10_000, 20)
  t.match(await q.get(job.id), { state: 'delivering' }, 'the claim survived (AOF)')

  await new Promise(resolve => setTimeout(resolve, 1000)) // three heartbeat periods: none may refresh it
  t.equal(await q.recoverStale(Date.now()), 1, 'idle past claimIdleMs: requeued')
  const [again] = await q.claimDue(Date.now(), 5)
  t.match(again, { id: job.id, deliveryKey: 'bill-1', attempts: 0 })
})
