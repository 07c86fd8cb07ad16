// The bench's PermitProbe on a hand-driven clock, fed by a real ConcurrencyLimiter: free permits
// split by whether anyone waits, permits held with no legacy call under way, grant kinds,
// releases that found nobody waiting, and the wake-up delay of a hand-over.
import t from 'tap'
import { PermitProbe } from '../../bench/lib/permit-probe.js'
import { ConcurrencyLimiter } from '../../gateway/src/protection/concurrency-limiter.js'
import { ManualClock, flush } from '../helpers/protection-clock.js'

t.test('integrals and counts follow the limiter and the calls', async t => {
  let now = 0
  const probe = new PermitProbe(8, () => now, () => ({ count: 3, meanMs: 1.5 }))
  const limiter = new ConcurrencyLimiter({ name: 'legacy', maxConcurrency: 2, queue: { maxSize: 4, maxWaitMs: 10_000 }, clock: new ManualClock() })
  limiter.observe(probe)
  now = 10 // 2 permits free, nobody waiting: 20 permit-ms of no demand
  const a = await limiter.acquire()
  now = 11 // a held, not yet sent: 1 ms held with no call
  probe.callsChanged(1)
  const b = await limiter.acquire()
  probe.callsChanged(1)
  const waiting = limiter.acquire()
  now = 30 // both calls under way, one waiter (19 ms)
  probe.callsChanged(-1) // a's answer ended
  now = 32 // a's answer still being written: 2 ms held with no call
  a() // hands the permit to the waiter
  now = 32.5
  await flush() // the waiter ran: woken 0.5 ms after the hand-over
  const c = await waiting
  now = 33
  probe.callsChanged(1) // c sent 1 ms after the hand-over
  now = 40
  probe.callsChanged(-1)
  b()
  probe.callsChanged(-1)
  c()
  now = 50 // 2 free permits for 10 ms
  t.same(probe.snapshot(), {
    clockMs: 50,
    permitFreeNoWaiterMs: 2 * 10 + 1 * 1 + 2 * 10,
    permitFreeWaiterMs: 0,
    permitHeldNoCallMs: 1 + 2 + 1,
    grants: { atOnce: 2, handedOver: 1 },
    releases: { total: 3, noWaiter: 2 },
    wake: { count: 1, totalMs: 0.5, maxMs: 0.5 },
    loopDelay: { count: 3, meanMs: 1.5 }
  })
})

t.test('a cap above the permits held while callers wait counts as free with a waiter', async t => {
  let now = 0
  const probe = new PermitProbe(8, () => now)
  probe.changed(1, 3, 4) // 3 free permits, 3 waiting (a cap that has just grown)
  now = 2
  t.equal(probe.snapshot().permitFreeWaiterMs, 6)
  t.equal(probe.snapshot().permitFreeNoWaiterMs, 0)
})

t.test('free permits count up to legacy\'s workers: a cap above them has no idle worker behind', async t => {
  let now = 0
  const probe = new PermitProbe(8, () => now)
  probe.changed(6, 0, 12) // auto's cap at 12 over 8 workers: 2 idle workers, not 6
  now = 5
  t.equal(probe.snapshot().permitFreeNoWaiterMs, 10)
  probe.changed(9, 0, 12) // more held than workers: legacy queues them, nothing idles
  now = 10
  t.equal(probe.snapshot().permitFreeNoWaiterMs, 10)
})
