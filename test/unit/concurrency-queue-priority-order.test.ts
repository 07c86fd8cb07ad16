import t from 'tap'
import { ConcurrencyLimiter } from '../../gateway/src/protection/concurrency-limiter.js'
import type { AcquireOptions, Release } from '../../gateway/src/protection/concurrency-limiter.js'
import { ManualClock, flush } from '../helpers/protection-clock.js'

t.test('waiters are served live > retry > shadow, then by route priority, then FIFO', async t => {
  const clock = new ManualClock()
  const limiter = new ConcurrencyLimiter({ name: 'legacy', maxConcurrency: 1, queue: { maxSize: 10, maxWaitMs: 1000 }, clock })
  const holder = await limiter.acquire()
  const order: string[] = []
  const releases: Release[] = []
  const enqueue = (label: string, opts: AcquireOptions): void => {
    limiter.acquire(opts).then(release => { order.push(label); releases.push(release) }, () => order.push(`${label}!`))
  }
  enqueue('shadow', { priorityClass: 'shadow', priority: 100 })
  enqueue('retry', { priorityClass: 'retry' })
  enqueue('live-a', { priority: 0 })
  enqueue('live-high', { priority: 5 })
  enqueue('live-b', { priority: 0 })
  t.equal(limiter.queued, 5)
  holder()
  for (let i = 0; i < 5; i++) {
    await flush()
    releases.shift()?.()
  }
  await flush()
  t.same(order, ['live-high', 'live-a', 'live-b', 'retry', 'shadow'])
  t.equal(limiter.inflight, 0)
  t.equal(limiter.maxInflightSeen, 1)
})

t.test('a free permit is granted at once and in-flight changes are reported', async t => {
  const seen: Array<[number, number]> = []
  const limiter = new ConcurrencyLimiter({
    name: 'legacy', maxConcurrency: 2, queue: { maxSize: 1, maxWaitMs: 10 }, onChange: (i, q) => seen.push([i, q])
  })
  const a = await limiter.acquire()
  const b = await limiter.acquire()
  t.equal(limiter.inflight, 2)
  a()
  b()
  t.same(seen, [[1, 0], [2, 0], [1, 0], [0, 0]])
})
