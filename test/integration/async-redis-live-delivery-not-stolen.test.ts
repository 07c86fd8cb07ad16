// Crash recovery must not mistake a slow delivery for a dead consumer: while consumer A delivers
// a job for longer than claimIdleMs its heartbeat keeps the pending entry fresh, so B's sweeps
// take nothing; once A is gone (no heartbeat), B's sweep requeues the job and B delivers it —
// with the same delivery key — and A's late answer cannot settle it a second time.
import { redisTest } from '../helpers/redis-gate.js'
import { RedisJobQueue } from '../../gateway/src/async/redis-job-queue.js'
import { newJob } from '../helpers/job-queue-contract.js'
import { SHARED_REDIS_URL, testPrefix } from '../helpers/redis.js'

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

redisTest('a live consumer keeps its job; a dead one loses it to the sweep', async t => {
  const keyPrefix = testPrefix(t)
  const open = async (consumerName: string): Promise<RedisJobQueue> => {
    const q = await RedisJobQueue.open({ url: SHARED_REDIS_URL, keyPrefix, maxQueuedJobs: 10, claimIdleMs: 300, consumerName })
    t.teardown(() => q.close())
    return q
  }
  const a = await open('replica-a')
  const b = await open('replica-b')
  const { job } = await a.enqueue(newJob(1, { clientKey: 'bill-1' }))
  t.same((await a.claimDue(Date.now(), 5)).map(j => j.id), [job.id], 'A claims it')

  for (let k = 0; k < 4; k++) {
    await sleep(250) // 1 s in all: more than three claim timeouts
    t.equal(await b.recoverStale(Date.now()), 0, `sweep ${k + 1}: A is alive, nothing taken`)
  }
  t.same(await b.claimDue(Date.now(), 5), [], 'B gets nothing while A delivers')
  t.match(await b.get(job.id), { state: 'delivering' })

  // A stops heart-beating (a paused or dead process) without settling the job.
  const late = await open('replica-a-late-answer')
  await a.close()
  await sleep(400)
  t.equal(await b.recoverStale(Date.now()), 1, 'the sweep requeues the orphaned job')
  const [again] = await b.claimDue(Date.now(), 5)
  t.match(again, { id: job.id, deliveryKey: 'bill-1', attempts: 0 })
  await b.markDelivered(job.id, { status: 201, headers: {}, body: 'b', truncated: false }, Date.now())
  await late.markDelivered(job.id, { status: 201, headers: {}, body: 'a-late', truncated: false }, Date.now())
  t.match(await b.get(job.id), { state: 'delivered', attempts: 1, result: { body: 'b' } }, 'settled once, by B')

  const pending = await b.client.xpending(`${keyPrefix}stream`, 'delivery')
  t.equal(pending[0], 0, 'no pending entry left')
})

redisTest('a restart under the same consumer name takes back its own jobs at once', async t => {
  const keyPrefix = testPrefix(t)
  const opts = { url: SHARED_REDIS_URL, keyPrefix, maxQueuedJobs: 10, claimIdleMs: 60_000, consumerName: 'gw-0' }
  const first = await RedisJobQueue.open(opts)
  t.teardown(() => first.close())
  const { job } = await first.enqueue(newJob(1))
  await first.claimDue(Date.now(), 5)
  await first.close() // SIGKILL-like: never settled
  const restarted = await RedisJobQueue.open(opts)
  t.teardown(() => restarted.close())
  t.equal(await restarted.recoverInflight(Date.now()), 1, 'no wait for the 60 s claim timeout')
  t.same((await restarted.claimDue(Date.now(), 5)).map(j => j.id), [job.id])
})

redisTest('idle consumer names are forgotten, never one that still owns a delivery', async t => {
  const keyPrefix = testPrefix(t)
  const open = async (consumerName: string): Promise<RedisJobQueue> => {
    const q = await RedisJobQueue.open({ url: SHARED_REDIS_URL, keyPrefix, maxQueuedJobs: 10, claimIdleMs: 60_000, forgetConsumersAfterMs: 200, consumerName })
    t.teardown(() => q.close())
    return q
  }
  const holder = await open('holder')
  const idle = await open('idle')
  await holder.enqueue(newJob(1))
  t.equal((await holder.claimDue(Date.now(), 5)).length, 1)
  t.same(await idle.claimDue(Date.now(), 5), [], 'idle reads (and so joins the group) but gets nothing')
  await holder.close()
  await idle.close()
  await sleep(300)
  const sweeper = await open('sweeper')
  t.equal(await sweeper.recoverStale(Date.now()), 0, 'the holder\'s job is not stale yet (60 s)')
  const names = (await sweeper.client.xinfo('CONSUMERS', `${keyPrefix}stream`, 'delivery') as Array<Array<string | number>>).map(r => String(r[1]))
  t.same(names.filter(n => n !== 'sweeper').sort(), ['holder'], 'the idle name is gone; the one owning a pending delivery stays')
})
