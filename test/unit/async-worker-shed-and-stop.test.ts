// The delivery worker over a real SQLite queue: a shed by the legacy shield burns no attempt
// (the job waits for Retry-After); stop() aborts deliveries still running after the grace period
// and puts them back to queued; a restart (recoverInflight) requeues jobs left `delivering`.
import t from 'tap'
import { DeliveryWorker } from '../../gateway/src/async/delivery-worker.js'
import type { Deliver } from '../../gateway/src/async/deliver-job.js'
import { SqliteJobQueue } from '../../gateway/src/async/sqlite-job-queue.js'
import type { NewJob } from '../../gateway/src/async/job-queue.port.js'
import { Protection } from '../../gateway/src/protection/protection.js'
import { waitFor } from '../helpers/async.js'

const job = (i: number): NewJob => ({
  routeId: 'r',
  method: 'POST',
  target: '/x',
  headers: {},
  body: Buffer.from(String(i)),
  fingerprint: `f${i}`,
  maxAttempts: 3,
  backoff: { baseMs: 10, maxMs: 10 },
  deadlineAt: Date.now() + 60_000
})

t.test('a shed waits without burning an attempt', async t => {
  const queue = new SqliteJobQueue({ dataDir: t.testdir(), maxQueuedJobs: 10 })
  t.teardown(() => queue.close())
  const protection = new Protection({ maxConcurrency: 1, queue: { maxSize: 0, maxWaitMs: 10 } })
  t.teardown(() => protection.close())
  const release = await protection.legacy.limiter.acquire() // live traffic holds the only permit
  let calls = 0
  const deliver: Deliver = async () => { calls++; return { status: 201, headers: {}, body: Buffer.from('ok') } }
  const worker = new DeliveryWorker({ queue, deliver, shield: protection.legacy, concurrency: 1, pollMs: 20 })
  t.teardown(() => worker.stop())
  const { job: created } = await queue.enqueue(job(1)) as { job: { id: string } }
  worker.start()
  await waitFor('a wait', () => worker.stats.waited > 0)
  const waiting = (await queue.get(created.id))!
  t.equal(waiting.state, 'queued')
  t.equal(waiting.attempts, 0, 'no attempt burned')
  t.match(waiting.lastError, /waiting: concurrency/)
  t.ok(waiting.nextAttemptAt >= Date.now() + 500, 'waits for the shield\'s Retry-After (1 s)')
  t.equal(calls, 0, 'legacy never called')
  release()
})

t.test('stop() releases what it cannot finish; restart recovers `delivering`', async t => {
  const dir = t.testdir()
  const queue = new SqliteJobQueue({ dataDir: dir, maxQueuedJobs: 10 })
  const deliver: Deliver = (_req, signal) => new Promise((_resolve, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true })
  })
  const worker = new DeliveryWorker({ queue, deliver, concurrency: 2, pollMs: 20, stopGraceMs: 50 })
  await Promise.all([queue.enqueue(job(1)), queue.enqueue(job(2)), queue.enqueue(job(3))])
  worker.start()
  await waitFor('two in flight', () => worker.inflight === 2)
  t.same((await queue.counts()), { queued: 1, delivering: 2, delivered: 0, failed: 0, dead: 0 })
  await worker.stop()
  t.same((await queue.counts()), { queued: 3, delivering: 0, delivered: 0, failed: 0, dead: 0 }, 'released, not lost')
  t.ok((await queue.list({})).every(j => j.attempts === 0), 'shutdown burns no attempt')

  // A crash: claimed but never finished; the next process recovers them.
  t.equal((await queue.claimDue(Date.now(), 2)).length, 2)
  await queue.close()
  const reopened = new SqliteJobQueue({ dataDir: dir, maxQueuedJobs: 10 })
  t.teardown(() => reopened.close())
  t.equal(await reopened.recoverInflight(Date.now()), 2)
  t.same(await reopened.counts(), { queued: 3, delivering: 0, delivered: 0, failed: 0, dead: 0 })
  t.equal((await reopened.nextDueAt())! <= Date.now(), true, 'due at once')
})

t.test('a job past its deadline is dead-lettered without an attempt', async t => {
  const queue = new SqliteJobQueue({ dataDir: t.testdir(), maxQueuedJobs: 10 })
  t.teardown(() => queue.close())
  let calls = 0
  const worker = new DeliveryWorker({ queue, deliver: async () => { calls++; return { status: 201, headers: {}, body: Buffer.alloc(0) } }, concurrency: 1, pollMs: 20 })
  t.teardown(() => worker.stop())
  const { job: created } = await queue.enqueue({ ...job(1), deadlineAt: Date.now() - 1 }) as { job: { id: string } }
  worker.start()
  await waitFor('dead', async () => (await queue.get(created.id))?.state === 'dead')
  t.equal(calls, 0)
  t.match((await queue.get(created.id))!.lastError, /deadline/)
})
