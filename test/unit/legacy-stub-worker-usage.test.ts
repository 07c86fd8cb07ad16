// The stub's usage figures on a hand-driven clock: worker time held is the integral of inflight,
// "all busy" counts only while every worker is held, a hand-off to a waiter keeps the worker
// busy, completions count services that ended, and reset zeroes the counters.
import t from 'tap'
import { CapacityModel } from '../../legacy-stub/src/capacity.js'
import type { Admission, Release } from '../../legacy-stub/src/capacity.js'

const admitted = (a: Admission): Promise<Release> => {
  if (a.kind !== 'admitted') throw new Error(`expected admission, got ${a.status}`)
  return a.worker
}

t.test('worker-ms, all-busy ms and completions follow the pool on the stub clock', async t => {
  let now = 1000
  const model = new CapacityModel({ maxConcurrency: 2, queueLimit: 4, clock: () => now })
  t.same(model.usage.snapshot(), { clockMs: 1000, workers: 2, busyWorkerMs: 0, allBusyMs: 0, completed: 0 })

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
  t.same(model.usage.snapshot(), {
    clockMs: 1190, workers: 2, busyWorkerMs: 10 + 2 * 20 + 2 * 5 + 2 * 15 + 40, allBusyMs: 20 + 5 + 15, completed: 3
  })

  model.resetCounters()
  const r4 = await admitted(model.admit())
  now += 7
  t.same(model.usage.snapshot(), { clockMs: 1197, workers: 2, busyWorkerMs: 7, allBusyMs: 0, completed: 0 }, 'reset keeps counting from now')
  r4()
})
