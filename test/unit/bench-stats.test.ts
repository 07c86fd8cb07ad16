import t from 'tap'
import { median, medianRound, percentile, ratio, summarizeLatencies } from '../../bench/lib/stats.js'

t.test('percentile uses the nearest rank on a sorted copy', async t => {
  const values = Array.from({ length: 1000 }, (_, i) => 1000 - i) // 1000..1, unsorted
  t.equal(percentile(values, 50), 500)
  t.equal(percentile(values, 99), 990)
  t.equal(percentile(values, 99.9), 999)
  t.equal(percentile(values, 100), 1000)
  t.equal(percentile(values, 0), 1)
  t.equal(values[0], 1000, 'the input is not sorted in place')
  t.ok(Number.isNaN(percentile([], 50)))
})

t.test('median of odd and even counts, ignoring non-finite values', async t => {
  t.equal(median([3, 1, 2]), 2)
  t.equal(median([4, 1, 3, 2]), 2.5)
  t.equal(median([5, Number.NaN, 1, 3]), 3)
  t.ok(Number.isNaN(median([])))
})

t.test('medianRound takes the median of each figure on its own', async t => {
  const m = medianRound([
    { rps: 100, p50: 5, p99: 50, p999: 90, errors: 0 },
    { rps: 300, p50: 1, p99: 10, p999: 20, errors: 2 },
    { rps: 200, p50: 3, p99: 30, p999: 40, errors: 1 }
  ])
  t.same(m, { rps: 200, p50: 3, p99: 30, p999: 40, errors: 1 })
})

t.test('summarizeLatencies and ratio', async t => {
  const s = summarizeLatencies([10, 20, 30, 40])
  t.same(s, { p50: 20, p99: 40, p999: 40, max: 40, count: 4 })
  t.equal(ratio(50, 200), 0.25)
  t.ok(Number.isNaN(ratio(50, 0)))
  t.ok(Number.isNaN(ratio(50, undefined)))
})
