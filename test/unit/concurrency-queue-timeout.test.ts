import t from 'tap'
import { ConcurrencyLimiter } from '../../gateway/src/protection/concurrency-limiter.js'
import { ManualClock, flush } from '../helpers/protection-clock.js'

t.test('a waiter is shed with queue_timeout after exactly maxWaitMs', async t => {
  const clock = new ManualClock()
  const limiter = new ConcurrencyLimiter({ name: 'legacy', maxConcurrency: 1, queue: { maxSize: 4, maxWaitMs: 250 }, clock })
  await limiter.acquire()
  let settled: unknown
  limiter.acquire().then(() => { settled = 'granted' }, (err: unknown) => { settled = err })
  clock.advance(249)
  await flush()
  t.equal(settled, undefined, 'still waiting at 249 ms')
  clock.advance(1)
  await flush()
  t.match(settled, { code: 'GW_ERR_SHED_QUEUE_TIMEOUT', statusCode: 503, reason: 'queue_timeout', retryAfterSeconds: 1 })
  t.match((settled as Error).message, /within 250 ms/)
  t.equal(limiter.queued, 0)
})

t.test('a waiter granted before its deadline leaves no timer behind', async t => {
  const clock = new ManualClock()
  const limiter = new ConcurrencyLimiter({ name: 'legacy', maxConcurrency: 1, queue: { maxSize: 4, maxWaitMs: 250 }, clock })
  const first = await limiter.acquire()
  const second = limiter.acquire()
  clock.advance(100)
  first()
  const release = await second
  t.equal(clock.pendingTimers, 0)
  clock.advance(1000)
  t.equal(limiter.inflight, 1, 'no late timeout touched the granted permit')
  release()
})
