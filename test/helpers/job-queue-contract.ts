// The JobQueue port's contract, one suite run against every implementation (SQLite in
// test/unit/async-sqlite-queue-contract.test.ts, Redis in
// test/integration/async-redis-queue-contract.test.ts): lifecycle, listing, idempotency under
// concurrency, the queue limit, crash recovery by another consumer, retention (the sweep of
// settled jobs) and the oldest queued job's acceptance time (the age gauge's source).
import type { Test } from 'tap'
import type { JobQueue, NewJob } from '../../gateway/src/async/job-queue.port.js'

/** One store (a SQLite dir, a Redis prefix); each open() is another consumer of it. */
export interface QueueStore { open: (o: { maxQueuedJobs: number }) => Promise<JobQueue> }
export type MakeStore = (t: Test) => Promise<QueueStore>

export const newJob = (i: number, extra: Partial<NewJob> = {}): NewJob => ({
  routeId: 'billings.create',
  method: 'POST',
  target: `/api/Billings?i=${i}`,
  headers: { 'content-type': 'application/json', 'x-multi': ['a', 'b'] },
  body: Buffer.from([0, 255, 10, 13, ...Buffer.from(`{"i":${i}}`)]),
  fingerprint: `fp-${i}`,
  maxAttempts: 3,
  backoff: { baseMs: 100, maxMs: 1000 },
  deadlineAt: Date.now() + 60_000,
  ...extra
})

const result = (status: number) => ({ status, headers: { 'content-type': 'application/json' }, body: `{"s":${status}}`, truncated: false })
const zero = { queued: 0, delivering: 0, delivered: 0, failed: 0, dead: 0 }

async function created (q: JobQueue, job: NewJob): Promise<string> {
  const r = await q.enqueue(job)
  if (r.kind !== 'created') throw new Error(`expected created, got ${r.kind}`)
  return r.job.id
}

export function jobQueueContract (t: Test, makeStore: MakeStore): void {
  t.test('enqueue stores the request as sent; claim, deliver', async t => {
    const q = await (await makeStore(t)).open({ maxQueuedJobs: 100 })
    const before = Date.now()
    const r = await q.enqueue(newJob(1, { clientKey: 'client-key-1', idempotencyScope: 's1' }))
    t.equal(r.kind, 'created')
    const id = r.job.id
    t.match(id, /^[A-Za-z0-9_-]{22}$/, '128-bit base64url id')
    const stored = (await q.get(id))!
    t.same(stored, r.job, 'get returns what enqueue returned')
    t.same(stored.body, newJob(1).body, 'binary body intact')
    t.same(stored.headers, newJob(1).headers)
    t.match(stored, { state: 'queued', attempts: 0, deliveryKey: 'client-key-1', lastError: null, result: null, finishedAt: null })
    t.ok(stored.createdAt >= before)
    t.equal(await q.get('no-such-job'), undefined)
    t.same(await q.counts(), { ...zero, queued: 1 })
    t.ok((await q.nextDueAt())! <= Date.now(), 'due now')

    const claimed = await q.claimDue(Date.now(), 10)
    t.equal(claimed.length, 1)
    t.match(claimed[0], { id, state: 'delivering', deliveryKey: 'client-key-1' })
    t.same(await q.claimDue(Date.now(), 10), [], 'claimed once')
    t.same(await q.counts(), { ...zero, delivering: 1 })
    t.equal(await q.nextDueAt(), undefined, 'nothing queued')

    await q.markDelivered(id, result(201), Date.now())
    const done = (await q.get(id))!
    t.match(done, { state: 'delivered', attempts: 1, lastError: null, result: result(201) })
    t.ok(done.finishedAt !== null)
    t.same(await q.counts(), { ...zero, delivered: 1 })
    await q.markDelivered(id, result(500), Date.now())
    t.same((await q.get(id))!.result, result(201), 'a settled job is not settled again')
  })

  t.test('oldestQueuedAt: acceptance time of the oldest queued job, kept through retry and release', async t => {
    const q = await (await makeStore(t)).open({ maxQueuedJobs: 100 })
    t.equal(await q.oldestQueuedAt(), undefined, 'nothing queued')
    const a = await q.enqueue(newJob(1))
    await new Promise(resolve => setTimeout(resolve, 5))
    const b = await q.enqueue(newJob(2))
    t.ok(b.job.createdAt > a.job.createdAt, 'two acceptance times')
    t.equal(await q.oldestQueuedAt(), a.job.createdAt, 'the first accepted')
    t.same((await q.claimDue(Date.now(), 1)).map(j => j.id), [a.job.id])
    t.equal(await q.oldestQueuedAt(), b.job.createdAt, 'a delivering job is not queued')
    await q.markRetry(a.job.id, 'legacy answered 503', Date.now() + 60_000, Date.now())
    t.equal(await q.oldestQueuedAt(), a.job.createdAt, 'waiting for its retry, it is queued since its 202')
    t.same((await q.claimDue(Date.now(), 10)).map(j => j.id), [b.job.id])
    await q.release(b.job.id, 'shed', Date.now(), Date.now())
    t.equal(await q.oldestQueuedAt(), a.job.createdAt)
    for (const job of await q.claimDue(Date.now() + 120_000, 10)) await q.markDelivered(job.id, result(200), Date.now())
    t.same(await q.counts(), { ...zero, delivered: 2 })
    t.equal(await q.oldestQueuedAt(), undefined, 'all delivered: none')
  })

  t.test('claims in order, at most `limit`; the job id is the default delivery key', async t => {
    const q = await (await makeStore(t)).open({ maxQueuedJobs: 100 })
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push(await created(q, newJob(i)))
    const first = await q.claimDue(Date.now(), 3)
    t.same(first.map(j => j.id), ids.slice(0, 3))
    t.equal(first[0]!.deliveryKey, ids[0])
    const rest = await q.claimDue(Date.now(), 10)
    t.same(rest.map(j => j.id), ids.slice(3))
    t.same(await q.claimDue(Date.now(), 0), [])
  })

  t.test('failed, retry with backoff, release, dead, replay, purge', async t => {
    const q = await (await makeStore(t)).open({ maxQueuedJobs: 100 })
    const a = await created(q, newJob(1))
    const b = await created(q, newJob(2))
    await q.claimDue(Date.now(), 2)
    await q.markFailed(a, result(400), Date.now())
    t.match(await q.get(a), { state: 'failed', attempts: 1, lastError: 'legacy answered 400', result: result(400) })

    const now = Date.now()
    await q.markRetry(b, 'legacy answered 503', now + 300, now)
    t.match(await q.get(b), { state: 'queued', attempts: 1, lastError: 'legacy answered 503', nextAttemptAt: now + 300 })
    t.same(await q.claimDue(now, 10), [], 'not due before its backoff')
    t.equal(await q.nextDueAt(), now + 300)
    t.same((await q.claimDue(now + 300, 10)).map(j => j.id), [b], 'due after it')

    await q.release(b, null, now + 300, now + 300)
    t.match(await q.get(b), { state: 'queued', attempts: 1, lastError: 'legacy answered 503' }, 'release: no attempt, error kept')
    await q.claimDue(now + 300, 10)
    await q.release(b, 'waiting: breaker_open', now + 300, now + 300)
    t.match(await q.get(b), { attempts: 1, lastError: 'waiting: breaker_open' })

    await q.markDead(b, 'not delivered before its deadline', now + 400) // dead straight from queued
    t.match(await q.get(b), { state: 'dead', lastError: 'not delivered before its deadline', finishedAt: now + 400 })
    t.same(await q.claimDue(now + 1000, 10), [], 'a dead job is never claimed')
    t.same(await q.counts(), { ...zero, failed: 1, dead: 1 })
    t.same((await q.list({ state: 'dead' })).map(j => j.id), [b])

    const failed = (await q.get(a))!
    const replayed = (await q.retry(a, now + 500))!
    t.match(replayed, { id: a, state: 'queued', attempts: 0, finishedAt: null, nextAttemptAt: now + 500, result: result(400) })
    t.equal(replayed.deadlineAt - (now + 500), failed.deadlineAt - failed.createdAt, 'a fresh deadline of the same length')
    t.same((await q.claimDue(now + 500, 10)).map(j => j.id), [a])
    t.equal(await q.retry('no-such-job', now), undefined)

    t.equal(await q.purgeDead(), 1)
    t.equal(await q.get(b), undefined, 'dead job purged')
    t.equal(await q.purgeDead(), 0)
    t.same(await q.counts(), { ...zero, delivering: 1 })
  })

  t.test('list: newest first, by state, limited', async t => {
    const q = await (await makeStore(t)).open({ maxQueuedJobs: 100 })
    const ids: string[] = []
    for (let i = 0; i < 4; i++) {
      ids.push(await created(q, newJob(i)))
      await new Promise(resolve => setTimeout(resolve, 3)) // distinct createdAt
    }
    await q.claimDue(Date.now(), 1)
    t.same((await q.list({})).map(j => j.id), [...ids].reverse())
    t.same((await q.list({ limit: 2 })).map(j => j.id), [ids[3], ids[2]])
    t.same((await q.list({ state: 'queued' })).map(j => j.id), [ids[3], ids[2], ids[1]])
    t.same((await q.list({ state: 'delivering' })).map(j => j.id), [ids[0]])
    t.same(await q.list({ state: 'failed' }), [])
  })

  t.test('duplicate idempotency scopes coalesce, also concurrently', async t => {
    const store = await makeStore(t)
    const [q1, q2] = [await store.open({ maxQueuedJobs: 100 }), await store.open({ maxQueuedJobs: 100 })]
    const key = { idempotencyScope: 'route|key-7|cred', clientKey: 'key-7' }
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? q1 : q2).enqueue(newJob(7, key))))
    const made = results.filter(r => r.kind === 'created')
    t.equal(made.length, 1, 'one job created')
    t.equal(results.filter(r => r.kind === 'existing').length, 39, 'the rest answered with it')
    t.equal(new Set(results.map(r => r.job.id)).size, 1, 'all the same id')
    const other = await q1.enqueue(newJob(8, key))
    t.match(other, { kind: 'mismatch', job: { id: made[0]!.job.id } }, 'same key, other request')
    t.same(await q1.counts(), { ...zero, queued: 1 })
    t.equal((await q1.enqueue(newJob(7, { ...key, idempotencyScope: 'route|key-7|other-cred' }))).kind, 'created', 'another scope is another job')
  })

  t.test('queue limit: typed 503, nothing stored beyond it; room again once delivered', async t => {
    const q = await (await makeStore(t)).open({ maxQueuedJobs: 3 })
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => q.enqueue(newJob(i))))
    const ok = results.filter(r => r.status === 'fulfilled')
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    t.equal(ok.length, 3)
    t.equal(refused.length, 3)
    for (const r of refused) t.match(r.reason, { code: 'GW_ERR_ASYNC_QUEUE_FULL', statusCode: 503 })
    t.same(await q.counts(), { ...zero, queued: 3 })
    const [job] = await q.claimDue(Date.now(), 1)
    await t.rejects(q.enqueue(newJob(9)), { code: 'GW_ERR_ASYNC_QUEUE_FULL' }, 'delivering jobs count')
    await q.markDelivered(job!.id, result(200), Date.now())
    t.equal((await q.enqueue(newJob(9, { idempotencyScope: 'x' }))).kind, 'created', 'a delivered job frees its place')
    t.equal((await q.enqueue(newJob(9, { idempotencyScope: 'x' }))).kind, 'existing', 'a duplicate is answered even when full')
    await t.rejects(q.enqueue(newJob(10)), { code: 'GW_ERR_ASYNC_QUEUE_FULL' }, 'full again')
    t.same(await q.counts(), { ...zero, queued: 3, delivered: 1 })
  })

  t.test('a consumer that claimed and died: another recovers the job and delivers it once', async t => {
    const store = await makeStore(t)
    const a = await store.open({ maxQueuedJobs: 100 })
    const id = await created(a, newJob(1, { clientKey: 'bill-1' }))
    const other = await created(a, newJob(2))
    const claimed = await a.claimDue(Date.now(), 1)
    t.same(claimed.map(j => j.id), [id])
    await a.close() // died mid-delivery: never settled

    await new Promise(resolve => setTimeout(resolve, 400)) // past the Redis store's claim timeout (300 ms)
    const b = await store.open({ maxQueuedJobs: 100 })
    t.equal(await b.recoverInflight(Date.now()), 1, 'the interrupted job is requeued')
    t.match(await b.get(id), { state: 'queued', attempts: 0 }, 'no attempt burned')
    const again = await b.claimDue(Date.now(), 10)
    t.same(again.map(j => j.id).sort(), [id, other].sort(), 'both delivered by the survivor')
    t.equal(again.find(j => j.id === id)!.deliveryKey, 'bill-1', 'same Idempotency-Key as the first attempt')
    for (const j of again) await b.markDelivered(j.id, result(201), Date.now())
    t.equal(await b.recoverInflight(Date.now()), 0, 'nothing left to recover')
    t.same(await b.claimDue(Date.now(), 10), [], 'delivered once')
    t.same(await b.counts(), { ...zero, delivered: 2 })
  })

  t.test('retention: settled jobs past the cutoff are swept in bounded steps; dead and open jobs stay', async t => {
    const q = await (await makeStore(t)).open({ maxQueuedJobs: 100 })
    const ids: string[] = []
    for (let i = 0; i < 7; i++) ids.push(await created(q, newJob(i, { idempotencyScope: `scope-${i}` })))
    const t0 = Date.now()
    const [delivered, failed, dead, queued, delivering, later, replayed] = ids as [string, string, string, string, string, string, string]
    await q.claimDue(t0, 7)
    await q.markDelivered(delivered, result(201), t0)
    await q.markFailed(failed, result(400), t0 + 1)
    await q.markDead(dead, 'not delivered before its deadline', t0)
    await q.release(queued, null, t0, t0)
    await q.markDelivered(later, result(201), t0 + 5000)
    await q.markFailed(replayed, result(409), t0)
    await q.retry(replayed, t0 + 2) // an operator's replay: queued again, no longer settled
    t.same(await q.counts(), { queued: 2, delivering: 1, delivered: 2, failed: 1, dead: 1 })

    t.equal(await q.sweepSettled(t0 - 1, 10), 0, 'nothing settled before the cutoff')
    t.equal(await q.sweepSettled(t0 + 1, 1), 1, 'at most `limit` per step')
    t.equal(await q.sweepSettled(t0 + 1, 10), 1, 'the next step takes the rest')
    t.equal(await q.sweepSettled(t0 + 1, 10), 0, 'then nothing')
    t.equal(await q.get(delivered), undefined, 'delivered job swept')
    t.equal(await q.get(failed), undefined, 'failed job swept')
    t.same(await q.counts(), { queued: 2, delivering: 1, delivered: 1, failed: 0, dead: 1 })
    t.same((await q.list({})).map(j => j.id).sort(), [dead, queued, delivering, later, replayed].sort(), 'swept jobs are not listed')
    t.equal((await q.enqueue(newJob(0, { idempotencyScope: 'scope-0' }))).kind, 'created', "a swept job's idempotency key is free again")
    t.equal((await q.enqueue(newJob(5, { idempotencyScope: 'scope-5' }))).kind, 'existing', 'a kept job still answers for its key')

    t.equal(await q.sweepSettled(t0 + 10 * 86_400_000, 100), 1, 'only the later delivered job is left to sweep')
    t.equal(await q.get(later), undefined)
    t.match(await q.get(dead), { state: 'dead' }, 'dead letters are never swept')
    t.match(await q.get(replayed), { state: 'queued' }, 'a replayed job is not swept')
    t.match(await q.get(delivering), { state: 'delivering' })
    t.equal(await q.sweepSettled(t0 + 10 * 86_400_000, 0), 0, 'limit 0 deletes nothing')
    t.equal(await q.purgeDead(), 1, 'purge-dead still removes the dead letter')
    t.ok(await q.storeBytes() > 0, 'store size is reported')
  })
}
