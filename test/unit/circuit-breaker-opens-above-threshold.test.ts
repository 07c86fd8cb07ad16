// CircuitBreaker's opening rule, opossum's: fires in the window >= volumeThreshold and the
// error percentage strictly above errorThresholdPercentage; a refused call counts as a fire
// and a reject, a forced open refuses without counting.
import t from 'tap'
import { CircuitBreaker } from '../../gateway/src/protection/circuit-breaker.js'
import type { CircuitState } from '../../gateway/src/protection/circuit-breaker.js'
import { ManualClock } from '../helpers/protection-clock.js'

const settings = { errorThresholdPercentage: 50, volumeThreshold: 4, resetTimeoutMs: 1000, rollingCountTimeoutMs: 10_000, rollingCountBuckets: 10 }

function call (breaker: CircuitBreaker, ok: boolean): boolean {
  if (!breaker.tryAcquire()) return false
  if (ok) breaker.succeed()
  else breaker.fail()
  return true
}

t.test('exactly at the percentage stays closed; one failure above it opens', async t => {
  const changes: CircuitState[] = []
  const breaker = new CircuitBreaker(settings, new ManualClock(), to => changes.push(to))
  for (let i = 0; i < 5; i++) { call(breaker, true); call(breaker, false) }
  t.equal(breaker.state, 'closed', '5 of 10 = 50% is not above 50%')
  call(breaker, false)
  t.equal(breaker.state, 'open', '6 of 11 > 50%')
  t.same(changes, ['open'])
  t.equal(breaker.opens, 1)
  t.same(breaker.counts(), { fires: 11, failures: 6, successes: 5, rejects: 0 })
})

t.test('below the volume threshold even 100% failures keep it closed', async t => {
  const breaker = new CircuitBreaker(settings, new ManualClock())
  for (let i = 0; i < 3; i++) call(breaker, false)
  t.equal(breaker.state, 'closed', '3 fires < volume 4')
  call(breaker, false)
  t.equal(breaker.state, 'open', 'the 4th failure opens it')
})

t.test('open: every call is refused and counted as a fire and a reject', async t => {
  const breaker = new CircuitBreaker({ ...settings, volumeThreshold: 1 }, new ManualClock())
  call(breaker, false)
  t.equal(breaker.state, 'open')
  t.equal(call(breaker, true), false)
  t.equal(call(breaker, true), false)
  t.same(breaker.counts(), { fires: 3, failures: 1, successes: 0, rejects: 2 })
  breaker.fail()
  t.equal(breaker.opens, 1, 'a late failure of a call let in before does not open it again')
})

t.test('forced open refuses without counting until forced closed, which clears the window', async t => {
  const changes: CircuitState[] = []
  const breaker = new CircuitBreaker(settings, new ManualClock(), to => changes.push(to))
  call(breaker, false)
  breaker.forceOpen()
  t.equal(breaker.forced, true)
  t.equal(breaker.tryAcquire(), false)
  t.same(breaker.counts(), { fires: 1, failures: 1, successes: 0, rejects: 0 })
  breaker.forceClose()
  t.equal(breaker.forced, false)
  t.same(breaker.counts(), { fires: 0, failures: 0, successes: 0, rejects: 0 })
  t.equal(breaker.tryAcquire(), true)
  t.same(changes, [], 'forcing is not a change of the breaker\'s own state')
})
