// The cockpit's per-route time-series ring: 10 s buckets over an hour, bounded memory (fixed
// rings, capped route count), buckets an hour old roll over to zero, p95 from fixed bins.
import t from 'tap'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { BUCKET_MS, BUCKETS, TrafficTimeSeries } from '../../gateway/src/cockpit/time-series.js'

const T0 = Date.parse('2026-01-01T00:00:00Z')

t.test('records per side into the current 10 s bucket', async t => {
  const clock = { now: T0 + 3_000 }
  const ts = new TrafficTimeSeries({ now: () => clock.now })
  ts.record('users.get', 'legacy', 200, 20)
  ts.record('users.get', 'legacy', 503, 40)
  ts.record('users.get', 'lambda', 200, 8)
  clock.now += BUCKET_MS
  ts.record('users.get', 'lambda', 200, 8)
  const s = ts.series('users.get', 3)
  t.same(s.t, [T0 - BUCKET_MS, T0, T0 + BUCKET_MS])
  t.same(s.legacy.requests, [0, 2, 0])
  t.same(s.legacy.errors, [0, 1, 0])
  t.same(s.lambda.requests, [0, 1, 1])
  t.same(s.legacy.p95Ms, [null, 47.5, null], 'p95 interpolated inside the 25-50 ms bin: 25 + 25 * (1.9 - 1)')
  t.same(ts.totals('users.get', 'lambda'), { requests: 2, errors: 0, p95Ms: 9.8 })
  t.same(ts.totals('users.get', 'legacy'), { requests: 2, errors: 1, p95Ms: 47.5 })
})

t.test('a bucket an hour old rolls over: its slot starts from zero, the hour window forgets it', async t => {
  const clock = { now: T0 }
  const ts = new TrafficTimeSeries({ now: () => clock.now })
  for (let i = 0; i < 5; i++) ts.record('r', 'legacy', 200, 1)
  t.equal(ts.totals('r', 'legacy').requests, 5)
  clock.now = T0 + (BUCKETS - 1) * BUCKET_MS
  t.equal(ts.totals('r', 'legacy').requests, 5, 'still inside the hour')
  clock.now = T0 + BUCKETS * BUCKET_MS
  t.equal(ts.totals('r', 'legacy').requests, 0, 'an hour later the bucket is outside the window')
  ts.record('r', 'legacy', 500, 2000)
  const s = ts.series('r')
  t.equal(s.t.length, BUCKETS)
  t.same(s.legacy.requests.reduce((a, b) => a + b, 0), 1, 'the reused slot was zeroed, not added to')
  t.same(ts.totals('r', 'legacy'), { requests: 1, errors: 1, p95Ms: 2425 })
})

t.test('bounded: at most maxRoutes rings; unknown targets ignored; slow answers land in the last bin', async t => {
  const ts = new TrafficTimeSeries({ now: () => T0, maxRoutes: 2 })
  ts.record('a', 'legacy', 200, 1)
  ts.record('b', 'lambda', 200, 1)
  ts.record('c', 'legacy', 200, 1)
  ts.record('a', 'none', 400, 1)
  t.same(ts.routeIds(), ['a', 'b'])
  t.equal(ts.totals('c', 'legacy').requests, 0)
  t.equal(ts.totals('a', 'legacy').requests, 1)
  ts.record('a', 'lambda', 200, 60_000)
  t.equal(ts.totals('a', 'lambda').p95Ms, 10000, 'beyond the last bound: its lower edge')
})

// A full GC before each reading, so the figure is what the ring retains, not garbage not yet collected.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
const retained = (): number => { gc(); return process.memoryUsage().heapUsed }

t.test('recording does not grow memory: a million requests, same ring', async t => {
  const clock = { now: T0 }
  const ts = new TrafficTimeSeries({ now: () => clock.now })
  ts.record('r', 'legacy', 200, 1)
  ts.record('r', 'lambda', 200, 1)
  const before = retained()
  for (let i = 0; i < 1_000_000; i++) {
    clock.now = T0 + i * 37 // walks through the hour several times
    ts.record('r', i % 2 === 0 ? 'legacy' : 'lambda', i % 50 === 0 ? 500 : 200, i % 300)
  }
  const grown = retained() - before
  t.ok(grown < 256 * 1024, `retained heap grew ${grown} bytes over 1e6 records`)
  const s = ts.series('r')
  t.equal(s.t.length, BUCKETS)
  const sum = s.legacy.requests.reduce((a, b) => a + b, 0) + s.lambda.requests.reduce((a, b) => a + b, 0)
  const first = Math.floor((T0 + 999_999 * 37) / BUCKET_MS) - BUCKETS + 1
  let expected = 0
  for (let i = 0; i < 1_000_000; i++) if (Math.floor((T0 + i * 37) / BUCKET_MS) >= first) expected++
  t.equal(sum, expected, 'only the last hour is held')
})
