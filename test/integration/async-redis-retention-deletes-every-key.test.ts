// The Redis retention sweep leaves nothing of a swept job behind: its hash, its idempotency key,
// its index entries and a stream entry still there are deleted in the one script; and jobs settled
// before the `settled` index existed (a queue written by an older gateway) are found and swept too.
import { redisTest } from '../helpers/redis-gate.js'
import type { Test } from 'tap'
import { RedisJobQueue } from '../../gateway/src/async/redis-job-queue.js'
import { newJob } from '../helpers/job-queue-contract.js'
import { SHARED_REDIS_URL, testPrefix } from '../helpers/redis.js'

const result = { status: 201, headers: {}, body: '{}', truncated: false }

async function openQueue (t: Test, keyPrefix: string): Promise<RedisJobQueue> {
  const q = await RedisJobQueue.open({ url: SHARED_REDIS_URL, keyPrefix, maxQueuedJobs: 1000 })
  t.teardown(() => q.close())
  return q
}

redisTest('a swept job: hash, idempotency key, index entries and stream entry all gone', async t => {
  const q = await openQueue(t, testPrefix(t))
  const kept = await q.enqueue(newJob(1, { idempotencyScope: 'kept' }))
  const gone = await q.enqueue(newJob(2, { idempotencyScope: 'gone' }))
  await q.claimDue(Date.now(), 10)
  const t0 = Date.now()
  await q.markDelivered(gone.job.id, result, t0)
  await q.markDelivered(kept.job.id, result, t0 + 60_000)
  // A stream entry left behind (e.g. an entry a crashed settle never acknowledged): the sweep removes it too.
  const stray = await q.client.xadd(`${q.prefix}stream`, '*', 'id', gone.job.id)
  await q.client.hset(`${q.prefix}job:${gone.job.id}`, 'entry', stray!)

  t.equal(await q.sweepSettled(t0, 10), 1)
  t.equal(await q.client.exists(`${q.prefix}job:${gone.job.id}`, `${q.prefix}idem:gone`), 0, 'hash and idempotency key deleted')
  t.equal(await q.client.exists(`${q.prefix}job:${kept.job.id}`, `${q.prefix}idem:kept`), 2, "the kept job's keys remain")
  for (const index of ['all', 'settled', 'state:delivered', 'delayed']) {
    t.equal(await q.client.zscore(`${q.prefix}${index}`, gone.job.id), null, `not in ${index}`)
  }
  t.same((await q.client.xrange(`${q.prefix}stream`, '-', '+')).map(([, f]) => f[1]), [], 'no stream entry for it')
  t.equal(await q.client.zscore(`${q.prefix}settled`, kept.job.id), String(t0 + 60_000), 'the kept job is indexed by when it settled')
})

redisTest('jobs settled by a gateway without the settled index are backfilled and swept', async t => {
  const keyPrefix = testPrefix(t)
  const q = await openQueue(t, keyPrefix)
  const t0 = Date.now()
  const ids: string[] = []
  for (let i = 0; i < 250; i++) ids.push((await q.enqueue(newJob(i, { idempotencyScope: `s${i}` }))).job.id)
  const claimed = await q.claimDue(t0, 250)
  for (const [i, job] of claimed.entries()) {
    if (i % 5 === 0) await q.markFailed(job.id, { ...result, status: 400 }, t0)
    else await q.markDelivered(job.id, result, t0)
  }
  // What an older gateway left: settled jobs, no `settled` index, no backfill progress.
  await q.client.del(`${keyPrefix}settled`, `${keyPrefix}retention:backfill`)
  const reopened = await openQueue(t, keyPrefix)
  t.equal(await reopened.client.get(`${keyPrefix}retention:backfill`), null, 'a queue with jobs is not marked done at open')
  let swept = 0
  for (let step = 0; step < 20 && swept < 250; step++) swept += await reopened.sweepSettled(t0, 100)
  t.equal(swept, 250, 'every old settled job swept')
  t.equal(await reopened.client.get(`${keyPrefix}retention:backfill`), 'done')
  t.same(await reopened.counts(), { queued: 0, delivering: 0, delivered: 0, failed: 0, dead: 0 })
  t.equal(await reopened.client.exists(`${keyPrefix}idem:s7`, `${keyPrefix}job:${ids[7]!}`), 0)
})

redisTest('a new queue starts with the backfill done', async t => {
  const keyPrefix = testPrefix(t)
  const q = await openQueue(t, keyPrefix)
  t.equal(await q.client.get(`${keyPrefix}retention:backfill`), 'done')
})
