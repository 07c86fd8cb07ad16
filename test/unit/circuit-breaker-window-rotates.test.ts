// CircuitBreaker's rolling window: counts live rollingCountTimeoutMs in rollingCountBuckets
// buckets; a bucket the clock moved past is dropped, so old failures stop counting.
import t from 'tap'
import { CircuitBreaker } from '../../gateway/src/protection/circuit-breaker.js'
import { ManualClock } from '../helpers/protection-clock.js'

const settings = { errorThresholdPercentage: 50, volumeThreshold: 4, resetTimeoutMs: 1000, rollingCountTimeoutMs: 1000, rollingCountBuckets: 4 }

function failOnce (breaker: CircuitBreaker): void {
  if (breaker.tryAcquire()) breaker.fail()
}

t.test('failures older than the window no longer count towards opening', async t => {
  const clock = new ManualClock()
  const breaker = new CircuitBreaker(settings, clock)
  for (let i = 0; i < 3; i++) failOnce(breaker)
  clock.advance(999)
  t.equal(breaker.counts().failures, 3, 'still inside the window (buckets of 250 ms)')
  clock.advance(1)
  t.equal(breaker.counts().failures, 0, 'the bucket holding them rotated out')
  failOnce(breaker)
  t.equal(breaker.state, 'closed', '1 fire in the window < volume 4')
})

t.test('buckets drop one at a time', async t => {
  const clock = new ManualClock()
  const breaker = new CircuitBreaker(settings, clock)
  failOnce(breaker)
  clock.advance(250)
  failOnce(breaker)
  failOnce(breaker)
  clock.advance(750)
  t.same(breaker.counts(), { fires: 2, failures: 2, successes: 0, rejects: 0 }, 'the first bucket left, the second is still in')
  failOnce(breaker)
  failOnce(breaker)
  t.equal(breaker.state, 'open', '4 failures of 4 fires in the window')
  clock.advance(5000)
  t.same(breaker.counts(), { fires: 0, failures: 0, successes: 0, rejects: 0 }, 'a long quiet spell empties the window')
})
