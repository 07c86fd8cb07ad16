// The stub's usage figures on a hand-driven clock: worker time held is the integral of inflight,
// "all busy" counts only while every worker is held, a hand-off to a waiter keeps the worker
// busy, completions count services that ended, and reset zeroes the counters.
import t from 'tap'
import { CapacityModel } from '../../legacy-stub/src/capacity.js'
import type { Admission, Release } from '../../legacy-stub/src/capacity.js'
import { IDLE_GAP_BOUNDS_MS } from '../../legacy-stub/src/idle-gaps.js'

const admitted = (a: Admission): Promise<Release> => {
  if (a.kind !== 'admitted') throw new Error(`expected admission, got ${a.status}`)
  return a.worker
}

t.test('worker-ms, all-busy ms and completions follow the pool on the stub clock', async t => {
  let now = 1000
  const model = new CapacityModel({ maxConcurrency: 2, queueLimit: 4, clock: () => now })
  t.match(model.usage.snapshot(), { clockMs: 1000, workers: 2, busyWorkerMs: 0, allBusyMs: 0, completed: 0 })

  const r1 = await admitted(model.admit())
  now += 10 // 1 worker for 10 ms
  const r2 = await admitted(model.admit())
  now += 20 // 2 workers (all) for 20 ms
  const w3 = admitted(model.admit()) // queued
  now += 5 // still all busy
  r1() // hands the worker straight to the waiter: still all busy
  const r3 = await w3
  now += 15
  r2()
  now += 40 // 1 worker
  r3()
  now += 100 // idle
  t.match(model.usage.snapshot(), {
    clockMs: 1190, workers: 2, busyWorkerMs: 10 + 2 * 20 + 2 * 5 + 2 * 15 + 40, allBusyMs: 20 + 5 + 15, completed: 3
  })

  model.resetCounters()
  const r4 = await admitted(model.admit())
  now += 7
  t.match(model.usage.snapshot(), { clockMs: 1197, workers: 2, busyWorkerMs: 7, allBusyMs: 0, completed: 0 }, 'reset keeps counting from now')
  r4()
})

const bucketOf = (ms: number): number => {
  const i = IDLE_GAP_BOUNDS_MS.findIndex(b => ms <= b)
  return i === -1 ? IDLE_GAP_BOUNDS_MS.length : i
}

t.test('idle gaps: a freed worker counts from its release to the next request that takes a worker, the longest idle first', async t => {
  let now = 0
  const model = new CapacityModel({ maxConcurrency: 2, queueLimit: 4, clock: () => now })
  now = 4
  const r1 = await admitted(model.admit()) // worker idle since the start: a 4 ms gap
  now = 5
  const r2 = await admitted(model.admit()) // the other one: 5 ms
  now = 25
  r1()
  now = 27
  r2()
  now = 27.5
  const r3 = await admitted(model.admit()) // takes the worker freed at 25: 2.5 ms
  now = 28
  const w4 = admitted(model.admit()) // the worker freed at 27: 1 ms
  now = 30
  const w5 = admitted(model.admit()) // queued at the stub: no gap, it gets r3's worker directly
  now = 48
  r3()
  const r5 = await w5
  const r4 = await w4
  now = 60
  r4()
  r5()

  const expected = new Array<number>(IDLE_GAP_BOUNDS_MS.length + 1).fill(0)
  for (const gap of [4, 5, 2.5, 1]) expected[bucketOf(gap)] = (expected[bucketOf(gap)] ?? 0) + 1
  const { idleGaps } = model.usage.snapshot()
  t.same(idleGaps, { count: 4, totalMs: 4 + 5 + 2.5 + 1, boundsMs: IDLE_GAP_BOUNDS_MS, counts: expected })

  model.resetCounters()
  now = 61.5
  const r6 = await admitted(model.admit()) // idle since 60, but counted from the reset at 60: 1.5 ms
  t.equal(model.usage.snapshot().idleGaps.count, 1)
  t.equal(model.usage.snapshot().idleGaps.totalMs, 1.5)
  r6()
})

t.test('the answer write after the service is timed on the stub clock', async t => {
  let now = 100
  const model = new CapacityModel({ maxConcurrency: 1, queueLimit: 0, clock: () => now })
  t.same(model.usage.snapshot().responseWrite, { count: 0, totalMs: 0 })
  model.usage.responded(98)
  now = 103
  model.usage.responded(102.5)
  t.same(model.usage.snapshot().responseWrite, { count: 2, totalMs: 2.5 })
  model.resetCounters()
  t.same(model.usage.snapshot().responseWrite, { count: 0, totalMs: 0 })
})
