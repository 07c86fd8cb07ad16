// The limiter's PermitObserver (the bench's hand-off probe) sees every grant as at once or handed
// over, every release with the callers still waiting, each change with the cap in force, and a
// waiter's wake-up only after the waiter's own continuation ran.
import t from 'tap'
import { ConcurrencyLimiter } from '../../gateway/src/protection/concurrency-limiter.js'
import type { PermitObserver } from '../../gateway/src/protection/concurrency-limiter.js'
import { ManualClock, flush } from '../helpers/protection-clock.js'

function recorder (): PermitObserver & { events: string[] } {
  const events: string[] = []
  return {
    events,
    changed: (inflight, queued, limit) => { events.push(`changed ${inflight}/${queued}/${limit}`) },
    granted: (handedOver) => { events.push(handedOver ? 'granted handed-over' : 'granted at-once') },
    released: (waiting) => { events.push(`released waiting=${waiting}`) },
    woken: () => { events.push('woken') }
  }
}

t.test('grants, releases and changes in the order they happen', async t => {
  const limiter = new ConcurrencyLimiter({ name: 'legacy', maxConcurrency: 1, queue: { maxSize: 4, maxWaitMs: 250 }, clock: new ManualClock() })
  const o = recorder()
  limiter.observe(o)
  const first = limiter.tryAcquire()
  const waiting = limiter.acquire()
  t.ok(first)
  first?.()
  const second = await waiting
  second()
  t.same(o.events, [
    'changed 0/0/1', // attached: the current state
    'granted at-once', 'changed 1/0/1',
    'changed 1/1/1', // the waiter joined
    'released waiting=1', 'changed 0/1/1',
    'granted handed-over', 'changed 1/0/1',
    'woken',
    'released waiting=0', 'changed 0/0/1'
  ])
})

t.test('woken runs after the waiter continued, not when the release handed the permit over', async t => {
  const limiter = new ConcurrencyLimiter({ name: 'legacy', maxConcurrency: 1, queue: { maxSize: 4, maxWaitMs: 250 }, clock: new ManualClock() })
  const order: string[] = []
  limiter.observe({ changed: () => {}, granted: () => {}, released: () => {}, woken: () => { order.push('woken') } })
  const holder = await limiter.acquire()
  const waiter = (async () => {
    await limiter.acquire()
    order.push('waiter runs')
  })()
  holder()
  order.push('release returned')
  await waiter
  await flush()
  t.same(order, ['release returned', 'waiter runs', 'woken'])
})

t.test('detached: nothing is reported any more', async t => {
  const limiter = new ConcurrencyLimiter({ name: 'legacy', maxConcurrency: 2, queue: { maxSize: 4, maxWaitMs: 250 }, clock: new ManualClock() })
  const o = recorder()
  limiter.observe(o)
  limiter.observe(undefined)
  const release = await limiter.acquire()
  release()
  t.same(o.events, ['changed 0/0/2'])
})
