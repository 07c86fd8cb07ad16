// Retry delays: capped exponential ceiling, full jitter within [0, ceiling], never above maxMs.
import t from 'tap'
import { backoffCeilingMs, backoffDelayMs } from '../../gateway/src/async/backoff.js'

const s = { baseMs: 100, maxMs: 5000 }

t.test('the ceiling doubles per failed attempt and is capped', async t => {
  t.same([1, 2, 3, 4, 5, 6, 7].map(n => backoffCeilingMs(s, n)), [100, 200, 400, 800, 1600, 3200, 5000])
  t.equal(backoffCeilingMs(s, 5000), 5000, 'no overflow for huge attempt counts')
  t.equal(backoffCeilingMs(s, 0), 100, 'attempt counts below 1 read as 1')
})

t.test('full jitter: uniform in [0, ceiling]', async t => {
  t.equal(backoffDelayMs(s, 3, () => 0), 0)
  t.equal(backoffDelayMs(s, 3, () => 0.5), 200)
  t.equal(backoffDelayMs(s, 3, () => 0.999999), 399)
  t.equal(backoffDelayMs(s, 30, () => 2), 5000, 'a random() out of range is clamped')
  const delays = Array.from({ length: 1000 }, () => backoffDelayMs(s, 4))
  t.ok(delays.every(d => d >= 0 && d <= 800))
  t.ok(new Set(delays).size > 100, 'spread, not one value')
})
