import t from 'tap'
import { ConcurrencyLimiter } from '../../gateway/src/protection/concurrency-limiter.js'
import { ManualClock, flush } from '../helpers/protection-clock.js'

t.test('release is idempotent: a double release cannot free a second permit', async t => {
  const limiter = new ConcurrencyLimiter({ name: 'legacy', maxConcurrency: 2, queue: { maxSize: 4, maxWaitMs: 250 }, clock: new ManualClock() })
  const a = await limiter.acquire()
  await limiter.acquire()
  a()
  a()
  a()
  t.equal(limiter.inflight, 1)
  await limiter.acquire()
  const waiting = limiter.acquire()
  a()
  t.equal(limiter.queued, 1, 'the waiter is still waiting: no phantom permit')
  waiting.catch(() => {})
})

t.test('an aborted waiter (client gone) leaves the queue and rejects with the abort reason', async t => {
  const clock = new ManualClock()
  const limiter = new ConcurrencyLimiter({ name: 'legacy', maxConcurrency: 1, queue: { maxSize: 4, maxWaitMs: 250 }, clock })
  const holder = await limiter.acquire()
  const controller = new AbortController()
  const gone = limiter.acquire({ signal: controller.signal })
  const next = limiter.acquire()
  t.equal(limiter.queued, 2)
  controller.abort(new Error('client closed'))
  await t.rejects(gone, { message: 'client closed' })
  t.equal(limiter.queued, 1)
  t.equal(clock.pendingTimers, 1, 'its timer is gone too')
  holder()
  const release = await next
  t.equal(limiter.inflight, 1, 'the permit went to the next live waiter')
  release()
  await flush()
})

t.test('an already aborted signal never takes a permit', async t => {
  const limiter = new ConcurrencyLimiter({ name: 'legacy', maxConcurrency: 1, queue: { maxSize: 4, maxWaitMs: 250 } })
  await t.rejects(limiter.acquire({ signal: AbortSignal.abort() }), { name: 'AbortError' })
  t.equal(limiter.inflight, 0)
})
