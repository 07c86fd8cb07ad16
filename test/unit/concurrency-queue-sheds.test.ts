import t from 'tap'
import { ConcurrencyLimiter } from '../../gateway/src/protection/concurrency-limiter.js'
import { isProtectionRejection } from '../../gateway/src/protection/rejection.js'
import { ManualClock, flush } from '../helpers/protection-clock.js'

const setup = (maxSize: number) => {
  const clock = new ManualClock()
  return { clock, limiter: new ConcurrencyLimiter({ name: 'legacy', maxConcurrency: 1, queue: { maxSize, maxWaitMs: 250 }, clock }) }
}

t.test('a full queue sheds an equal-or-lower arrival at once', async t => {
  const { limiter } = setup(2)
  await limiter.acquire()
  const queued = [limiter.acquire(), limiter.acquire()]
  await t.rejects(limiter.acquire(), { code: 'GW_ERR_SHED_QUEUE_FULL', statusCode: 503, reason: 'concurrency', retryAfterSeconds: 1 })
  t.equal(limiter.queued, 2)
  for (const p of queued) p.catch(() => {})
})

t.test('a higher-priority arrival at a full queue evicts the LOWEST waiter, not the newest', async t => {
  const { limiter } = setup(3)
  await limiter.acquire()
  const outcome: Record<string, string> = {}
  const track = (label: string, p: Promise<unknown>): void => {
    p.then(() => { outcome[label] = 'granted' }, (err: unknown) => {
      outcome[label] = isProtectionRejection(err) ? err.code : 'other'
    })
  }
  track('live-p1', limiter.acquire({ priority: 1 }))
  track('shadow', limiter.acquire({ priorityClass: 'shadow' }))
  track('live-p0', limiter.acquire({ priority: 0 }))
  track('live-p9', limiter.acquire({ priority: 9 }))
  await flush()
  t.same(outcome, { shadow: 'GW_ERR_SHED_QUEUE_FULL' }, 'shadow shed first')
  track('live-p5', limiter.acquire({ priority: 5 }))
  await flush()
  t.equal(outcome['live-p0'], 'GW_ERR_SHED_QUEUE_FULL', 'then the lowest live waiter')
  t.equal(limiter.queued, 3)
})

t.test('maxSize 0: no queue, a busy upstream sheds with GW_ERR_CONCURRENCY_LIMIT', async t => {
  const { limiter } = setup(0)
  await limiter.acquire()
  await t.rejects(limiter.acquire(), { code: 'GW_ERR_CONCURRENCY_LIMIT', reason: 'concurrency' })
})

t.test('shrinking the queue on reload sheds the lowest waiters', async t => {
  const { limiter, clock } = setup(3)
  await limiter.acquire()
  const low = limiter.acquire({ priority: -1 })
  const high = limiter.acquire({ priority: 1 })
  limiter.reconfigure(1, { maxSize: 1, maxWaitMs: 250 })
  await t.rejects(low, { code: 'GW_ERR_SHED_QUEUE_FULL' })
  t.equal(limiter.queued, 1)
  t.equal(clock.pendingTimers, 1, 'the shed waiter left no timer behind')
  high.catch(() => {})
})
