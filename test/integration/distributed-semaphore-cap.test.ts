// The legacy cap shared by 3 replicas: however many callers each replica has, no more than the
// one configured cap are in flight together; queued callers are woken and all get through.
import { redisTest } from '../helpers/redis-gate.js'
import { DegradedMode } from '../../gateway/src/distributed/degraded-mode.js'
import { RedisSemaphore } from '../../gateway/src/distributed/redis-semaphore.js'
import { connectedClient, testPrefix } from '../helpers/redis.js'
import { ManualClock, flush } from '../helpers/protection-clock.js'

redisTest('3 replicas x 30 concurrent acquires never exceed the cap of 4', async t => {
  const keyPrefix = testPrefix(t)
  const cap = 4
  const replicas = await Promise.all([0, 1, 2].map(async i => {
    const client = await connectedClient(t, undefined, { timeoutMs: 1000, connectionName: `sem-test-${i}` })
    const subscriber = await connectedClient(t, undefined, { timeoutMs: 1000 })
    const degraded = new DegradedMode({ client, expectedReplicas: 3 })
    const sem = new RedisSemaphore({ name: 'legacy', maxConcurrency: cap, queue: { maxSize: 64, maxWaitMs: 15_000 }, client, subscriber, degraded, keyPrefix, leaseTtlMs: 3000 })
    t.teardown(() => { sem.close(); degraded.close() })
    return { sem, degraded }
  }))
  let inflight = 0
  let maxInflight = 0
  const started = performance.now()
  await Promise.all(replicas.flatMap(({ sem }) => Array.from({ length: 30 }, async () => {
    const release = await sem.acquire()
    inflight++
    maxInflight = Math.max(maxInflight, inflight)
    await new Promise(resolve => setTimeout(resolve, 10))
    inflight--
    release()
  })))
  const elapsedMs = performance.now() - started
  t.ok(maxInflight <= cap, `max in flight across replicas ${maxInflight} <= ${cap}`)
  t.ok(maxInflight >= 2, `permits were actually used in parallel (${maxInflight})`)
  t.ok(elapsedMs < 12_000, `90 calls of 10 ms through a cap of 4 done in ${Math.round(elapsedMs)} ms`)
  t.ok(replicas.every(r => !r.degraded.degraded), 'no replica fell back to local permits')
  const first = replicas[0]?.sem as RedisSemaphore
  // Releases are fire-and-forget (the response never waits on them): allow them a moment.
  let left = await first.globalInflight()
  for (let i = 0; i < 20 && left > 0; i++) {
    await new Promise(resolve => setTimeout(resolve, 25))
    left = await first.globalInflight()
  }
  t.equal(left, 0, 'every lease was released')
})

redisTest('a full cap with no queue rejects at once with the concurrency rejection', async t => {
  const keyPrefix = testPrefix(t)
  const client = await connectedClient(t, undefined, { timeoutMs: 1000 })
  const subscriber = await connectedClient(t, undefined, { timeoutMs: 1000 })
  const degraded = new DegradedMode({ client, expectedReplicas: 1 })
  const sem = new RedisSemaphore({ name: 'legacy', maxConcurrency: 1, queue: { maxSize: 0, maxWaitMs: 10 }, client, subscriber, degraded, keyPrefix })
  t.teardown(() => { sem.close(); degraded.close() })
  const release = await sem.acquire()
  await t.rejects(sem.acquire(), { code: 'GW_ERR_CONCURRENCY_LIMIT', reason: 'concurrency' })
  release()
  // The queue's time is the injected clock: the wait ends at exactly maxWaitMs, not "about".
  const clock = new ManualClock()
  const queued = new RedisSemaphore({ name: 'legacy', maxConcurrency: 1, queue: { maxSize: 1, maxWaitMs: 100 }, client, subscriber, degraded, keyPrefix, clock })
  t.teardown(() => { queued.close() })
  const hold = await queued.acquire()
  let settled: unknown
  const waiting = queued.acquire()
  waiting.then(() => { settled = 'granted' }, (err: unknown) => { settled = err })
  // Its first try is a Redis round trip: real time passes for that I/O, not for the queue.
  for (let i = 0; i < 400 && queued.queued === 0; i++) await new Promise(resolve => setTimeout(resolve, 5))
  t.equal(queued.queued, 1, 'the caller waits in the queue')
  clock.advance(99)
  await flush()
  t.equal(settled, undefined, 'still waiting at 99 ms (polls found the cap full)')
  clock.advance(1)
  await t.rejects(waiting, { code: 'GW_ERR_SHED_QUEUE_TIMEOUT', reason: 'queue_timeout' }, 'a waiter gives up after maxWaitMs')
  t.equal(queued.queued, 0)
  hold()
})
