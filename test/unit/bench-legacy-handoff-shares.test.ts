// burst-shield's breakdown of legacy's idle worker time: each cause as workers' worth on its own
// process's clock, shares of the stub's idle workers, the rest "between the processes", and the
// idle-gap quantiles interpolated inside the stub's fixed buckets.
import t from 'tap'
import { gapQuantileMs, idleWorkersPerSecond, phaseHandoff } from '../../bench/lib/legacy-handoff.js'
import type { PermitProbeSnapshot } from '../../bench/lib/permit-probe.js'
import type { UsageSample } from '../../bench/lib/legacy-usage.js'
import type { LoopDelay } from '../../legacy-stub/src/loop-delay.js'

const BOUNDS = [1, 2, 5]

type StubSample = Pick<UsageSample, 'clockMs' | 'workers' | 'busyWorkerMs' | 'idleGaps' | 'responseWrite' | 'loopDelay'>

function stub (clockMs: number, busyWorkerMs: number, counts: number[], gapMs: number, writeMs: number, loopDelay: LoopDelay): { tMs: number, value: StubSample } {
  const count = counts.reduce((a, b) => a + b, 0)
  return { tMs: clockMs - 1000, value: { clockMs, workers: 8, busyWorkerMs, idleGaps: { count, totalMs: gapMs, boundsMs: BOUNDS, counts }, responseWrite: { count, totalMs: writeMs }, loopDelay } }
}

function probe (tMs: number, clockMs: number, noDemand: number, heldNoCall: number, wakeMs: number, wakes: number, loopDelay: LoopDelay): { tMs: number, value: PermitProbeSnapshot } {
  return {
    tMs,
    value: {
      clockMs,
      permitFreeNoWaiterMs: noDemand,
      permitFreeWaiterMs: 0,
      permitHeldNoCallMs: heldNoCall,
      grants: { atOnce: wakes / 2, handedOver: wakes },
      releases: { total: wakes * 1.5, noWaiter: wakes / 2 },
      wake: { count: wakes, totalMs: wakeMs, maxMs: 1 },
      loopDelay
    }
  }
}

t.test('shares of the idle workers per phase, each integral on its own clock', async t => {
  // Stub: 10 s window; 8 workers, 7.2 busy on average → 0.8 idle workers (8000 idle worker-ms).
  // Loop delay: 100 samples of 1 ms before, then 100 more averaging 3 ms (cumulative mean 2).
  const usage = [stub(1000, 0, [0, 0, 0, 0], 0, 0, { count: 100, meanMs: 1 }), stub(11_000, 72_000, [100, 200, 600, 100], 5000, 800, { count: 200, meanMs: 2 })]
  // Gateway: its 10 s window on another clock: 0.2 workers' worth free with nobody waiting
  // (2000 permit-ms), 0.3 held with no call (3000), 600 wake-ups of 0.05 ms.
  const gw = [probe(0, 500_000, 0, 0, 0, 0, { count: 0, meanMs: 0 }), probe(10_000, 510_000, 2000, 3000, 30, 600, { count: 50, meanMs: 0.5 })]
  const [h] = phaseHandoff(usage, gw, [{ name: 'burst', fromMs: 0, toMs: 10_000 }])
  t.same(h, {
    phase: 'burst',
    idleWorkers: 0.8,
    shares: { noDemand: 0.25, gateway: 0.375, stubWrite: 0.1, between: 0.275 },
    gaps: { count: 1000, meanMs: 5, p50Ms: 3, p99Ms: 5, boundsMs: BOUNDS, counts: [100, 200, 600, 100] },
    wakeMeanMs: 0.05,
    grants: { atOnce: 300, handedOver: 600 },
    releasesNoWaiter: 300,
    loopDelayMs: { stub: 3, gateway: 0.5 }
  })
})

t.test('gap quantiles: linear inside a bucket, the last bound above it, NaN without gaps', async t => {
  const gaps = { boundsMs: BOUNDS, counts: [100, 200, 600, 100] }
  t.equal(gapQuantileMs(gaps, 0.05), 0.5) // rank 50 of the first 100 in (0, 1]
  t.equal(gapQuantileMs(gaps, 0.2), 1.5) // rank 200: half-way through (1, 2]
  t.equal(gapQuantileMs(gaps, 0.6), 3.5) // rank 600: half-way through (2, 5]
  t.equal(gapQuantileMs(gaps, 0.99), 5) // above the last bound
  t.ok(Number.isNaN(gapQuantileMs({ boundsMs: BOUNDS, counts: [0, 0, 0, 0] }, 0.5)))
})

t.test('without the gateway probe the gateway shares are unknown, the stub figures stay', async t => {
  const none = { count: 0, meanMs: 0 }
  const usage = [stub(1000, 0, [0, 0, 0, 0], 0, 0, none), stub(11_000, 72_000, [100, 200, 600, 100], 5000, 800, none)]
  const [h] = phaseHandoff(usage, [], [{ name: 'burst', fromMs: 0, toMs: 10_000 }])
  t.ok(Number.isNaN(h?.shares.noDemand))
  t.ok(Number.isNaN(h?.shares.gateway))
  t.equal(h?.shares.stubWrite, 0.1)
  t.equal(h?.gaps.meanMs, 5)
  t.ok(Number.isNaN(h?.loopDelayMs.stub), 'no loop samples in the window: unknown')
})

t.test('with (almost) no idle worker the shares are unknown, not a ratio of noise', async t => {
  const none = { count: 0, meanMs: 0 }
  const usage = [stub(1000, 0, [0, 0, 0, 0], 0, 0, none), stub(11_000, 79_800, [1, 0, 0, 0], 0.5, 800, none)]
  const [h] = phaseHandoff(usage, [], [{ name: 'burst', fromMs: 0, toMs: 10_000 }])
  t.equal(h?.idleWorkers, 0.02)
  t.ok(Number.isNaN(h?.shares.stubWrite))
})

t.test('idle workers per second of the run, unknown where samples are missing', async t => {
  const none = { count: 0, meanMs: 0 }
  // 2 s of 8 workers: 6 busy in the first second, all 8 in the second; nothing after 2 s.
  const usage = [stub(1000, 0, [0, 0, 0, 0], 0, 0, none), stub(2000, 6000, [0, 0, 0, 0], 0, 0, none), stub(3000, 14_000, [0, 0, 0, 0], 0, 0, none)]
  t.same(idleWorkersPerSecond(usage, 2), [2, 0])
  const sparse = idleWorkersPerSecond(usage.slice(0, 1), 1)
  t.ok(Number.isNaN(sparse[0]))
})
