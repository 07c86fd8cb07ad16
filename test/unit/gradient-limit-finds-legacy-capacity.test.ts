// `maxConcurrency: auto` (GradientLimit) against a simulated legacy of N workers: the cap settles
// a little above N (legacy full, its queue a few deep, never growing), follows a loss of workers
// down and grows back when they return, re-learns a slower service time through its probe, and
// does not grow while the demand stays far below it.
import t from 'tap'
import { GradientLimit } from '../../gateway/src/protection/gradient-limit.js'
import { ConcurrencyLimiter } from '../../gateway/src/protection/concurrency-limiter.js'
import { ManualClock, flush } from '../helpers/protection-clock.js'
import { mean, simulate } from '../helpers/simulated-legacy.js'

const gradient = (now: () => number): GradientLimit => new GradientLimit(now)
const utilisation = (s: { served: number, capacity: number }): number => s.served / s.capacity
const maxOf = (xs: number[]): number => Math.max(...xs)

t.test('8 workers × 20 ms: the cap settles just above 8 and keeps legacy full with a short queue', async t => {
  const run = simulate(gradient, { workers: () => 8, serviceMs: () => 20, durationMs: 30_000 })
  const limit = mean(run, 5, 30, s => s.limit)
  t.ok(limit >= 8 && limit <= 12.5, `mean cap ${limit.toFixed(2)} over 5–30 s`)
  const used = mean(run, 5, 30, utilisation)
  t.ok(used >= 0.96, `legacy served ${(used * 100).toFixed(1)}% of its capacity`)
  t.ok(mean(run, 5, 30, s => s.allBusyMs) >= 950, 'every worker busy ≥ 95% of each second')
  t.ok(maxOf(run.slice(5).map(s => s.maxLegacyQueue)) <= 6, `legacy queue at most ${maxOf(run.slice(5).map(s => s.maxLegacyQueue))}`)
  t.ok(mean(run, 0, 2, utilisation) >= 0.9, 'reached in the first seconds, from an initial cap of 4')
})

t.test('a bigger legacy (200 workers) is found within two seconds (slow start), then held', async t => {
  const run = simulate(gradient, { workers: () => 200, serviceMs: () => 20, durationMs: 30_000 })
  t.ok(mean(run, 1, 2, utilisation) >= 0.95, `second 2: ${(mean(run, 1, 2, utilisation) * 100).toFixed(1)}% of capacity`)
  const limit = mean(run, 5, 30, s => s.limit)
  t.ok(limit >= 200 && limit <= 225, `mean cap ${limit.toFixed(1)} over 5–30 s`)
  t.ok(mean(run, 5, 30, utilisation) >= 0.96)
  t.ok(maxOf(run.slice(5).map(s => s.maxLegacyQueue)) <= 25, 'legacy queue ≤ 1/8 of its workers')
})

t.test('half the workers lost: the cap follows down; back: it grows back', async t => {
  const workers = (ms: number): number => (ms >= 20_000 && ms < 40_000 ? 4 : 8)
  const run = simulate(gradient, { workers, serviceMs: () => 20, durationMs: 60_000 })
  const before = mean(run, 10, 20, s => s.limit)
  const during = mean(run, 25, 40, s => s.limit)
  const after = mean(run, 45, 60, s => s.limit)
  t.ok(during >= 4 && during <= 8, `cap ${during.toFixed(2)} with 4 workers (was ${before.toFixed(2)} with 8)`)
  t.ok(maxOf(run.slice(25, 40).map(s => s.maxLegacyQueue)) <= 6, 'the queue does not build up at the smaller legacy')
  t.ok(mean(run, 25, 40, utilisation) >= 0.95, 'the 4 workers stay busy')
  t.ok(after >= 8 && after <= 12.5, `grown back to ${after.toFixed(2)}`)
  t.ok(mean(run, 45, 60, utilisation) >= 0.96)
})

t.test('legacy gets slower for good (20 → 40 ms): the probe re-learns the baseline and the cap returns to the workers', async t => {
  const run = simulate(gradient, { workers: () => 8, serviceMs: ms => (ms >= 15_000 ? 40 : 20), durationMs: 60_000 })
  const late = mean(run, 35, 60, s => s.limit)
  t.ok(late >= 8 && late <= 12.5, `cap ${late.toFixed(2)} 20 s after the slow-down`)
  t.ok(mean(run, 35, 60, utilisation) >= 0.95, `utilisation ${(mean(run, 35, 60, utilisation) * 100).toFixed(1)}%`)
})

t.test('an upstream asked for little proves nothing: the cap stops once it is twice the demand', async t => {
  const run = simulate(gradient, { workers: () => 64, serviceMs: () => 20, durationMs: 20_000, demand: 3 })
  // 4 → 8 (3 in use ≥ half of 4), then 3 < half of 8: no more growth, however long it runs.
  t.ok(maxOf(run.map(s => s.limit)) <= 8, `cap at most ${maxOf(run.map(s => s.limit)).toFixed(2)}`)
  t.equal(run.at(-1)?.limit, run[2]?.limit, 'no creeping up over 20 s')
})

t.test('the concurrency limiter hands out permits by the gradient cap', async t => {
  const clock = new ManualClock()
  const limit = new GradientLimit(() => clock.now(), { initialLimit: 2, minWindowSamples: 2, windowMs: 10 })
  const limiter = new ConcurrencyLimiter({ name: 'legacy', maxConcurrency: 1000, queue: { maxSize: 100, maxWaitMs: 60_000 }, clock, adaptive: limit })
  t.equal(limiter.limit, 2)
  const held = [await limiter.acquire(), await limiter.acquire()]
  const third = limiter.acquire()
  t.equal(limiter.queued, 1, 'a third waits at the initial cap')
  clock.advance(20)
  for (const release of held) release()
  await flush()
  t.ok(limiter.limit > 2, `fast, busy samples raised the cap to ${limiter.limit}`)
  ;(await third)()
})

t.test('a window with a dropped call backs off; the probe halves the cap and takes only calls it started', async t => {
  let now = 0
  const g = new GradientLimit(() => now, { initialLimit: 20, minWindowSamples: 2, windowMs: 10, probeIntervalMs: 1000, probeSamples: 2 })
  const sample = (rttMs: number, dropped = false): void => g.onSample({ rttMs, dropped, inflight: 20 })
  now = 10; sample(20); sample(20)
  t.equal(g.baselineMs, 20)
  t.equal(g.limit, 40, 'slow start doubled the cap on an unqueued window')
  now = 20; sample(20, true); sample(20)
  t.equal(g.limit, 36, 'dropped call: × 0.9, no doubling')
  now = 1000; sample(30); sample(30)
  t.ok(g.probing, 'the probe starts at its interval')
  t.equal(g.limit, 17, 'half of the cap (34.4 after the window) while probing')
  now = 1010; sample(40) // started at 970, before the probe: ignored
  t.ok(g.probing)
  now = 1040; sample(25); sample(25)
  t.notOk(g.probing)
  t.equal(g.baselineMs, 25, 'the baseline is the mean of the probe\'s own calls, even when higher')
  t.equal(g.limit, 34, 'the cap is back')
})
