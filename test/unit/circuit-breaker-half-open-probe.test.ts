// CircuitBreaker after resetTimeoutMs open: half-open lets exactly one probe through; its success
// closes with a cleared window, its failure re-opens for another resetTimeoutMs. Timers: the
// window's tick and, while open, the reset timer; nothing per call, and none after shutdown().
import t from 'tap'
import { CircuitBreaker } from '../../gateway/src/protection/circuit-breaker.js'
import type { CircuitState } from '../../gateway/src/protection/circuit-breaker.js'
import { ManualClock } from '../helpers/protection-clock.js'

const settings = { errorThresholdPercentage: 50, volumeThreshold: 1, resetTimeoutMs: 1000, rollingCountTimeoutMs: 10_000, rollingCountBuckets: 10 }

function opened (clock: ManualClock, changes: CircuitState[] = []): CircuitBreaker {
  const breaker = new CircuitBreaker(settings, clock, to => changes.push(to))
  breaker.tryAcquire()
  breaker.fail()
  return breaker
}

t.test('half-open after resetTimeoutMs, one probe only; its success closes with a fresh window', async t => {
  const clock = new ManualClock()
  const changes: CircuitState[] = []
  const breaker = opened(clock, changes)
  t.equal(clock.pendingTimers, 2, 'the window\'s tick and the reset timer, nothing per call')
  clock.advance(999)
  t.equal(breaker.state, 'open')
  t.equal(breaker.tryAcquire(), false)
  clock.advance(1)
  t.equal(breaker.state, 'half-open')
  t.equal(breaker.tryAcquire(), true, 'the probe')
  t.equal(breaker.tryAcquire(), false, 'the others are refused while it is out')
  t.equal(breaker.tryAcquire(), false)
  t.equal(breaker.counts().rejects, 3)
  breaker.succeed()
  t.equal(breaker.state, 'closed')
  t.same(breaker.counts(), { fires: 0, failures: 0, successes: 0, rejects: 0 }, 'cleared: the outage cannot re-open it')
  t.same(changes, ['open', 'half-open', 'closed'])
  t.equal(clock.pendingTimers, 1, 'closing cancelled the reset timer; the tick goes on')
})

t.test('a failed probe re-opens for another resetTimeoutMs, whatever the window says', async t => {
  const clock = new ManualClock()
  const changes: CircuitState[] = []
  // The window (10 s) has forgotten the outage by the time the probe goes (20 s): one fire is
  // below the volume threshold, so only the half-open rule can re-open it.
  const breaker = new CircuitBreaker({ ...settings, volumeThreshold: 3, resetTimeoutMs: 20_000 }, clock, to => changes.push(to))
  for (let i = 0; i < 3; i++) if (breaker.tryAcquire()) breaker.fail()
  clock.advance(20_000)
  t.equal(breaker.tryAcquire(), true)
  clock.advance(300)
  breaker.fail()
  t.equal(breaker.state, 'open')
  t.equal(breaker.opens, 2)
  t.equal(breaker.openedAt, clock.now(), 'Retry-After counts from the re-open')
  clock.advance(19_999)
  t.equal(breaker.state, 'open')
  clock.advance(1)
  t.equal(breaker.state, 'half-open')
  t.same(changes, ['open', 'half-open', 'open', 'half-open'])
})

t.test('shutdown clears the reset timer and ignores late outcomes', async t => {
  const clock = new ManualClock()
  const changes: CircuitState[] = []
  const breaker = opened(clock, changes)
  breaker.shutdown()
  t.equal(clock.pendingTimers, 0, 'no tick, no reset timer')
  clock.advance(5000)
  t.equal(breaker.state, 'open', 'never half-opens')
  t.equal(breaker.tryAcquire(), false)
  breaker.succeed()
  t.same(changes, ['open'])
})
