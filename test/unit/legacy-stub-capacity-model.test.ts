// The capacity model's arithmetic without servers or timers: workers, FIFO queue, refusals
// (every 4th a 500), the stretched service time, dropping the queue, resetting peaks.
import t from 'tap'
import { CapacityModel, OVERLOAD_500_EVERY, QueueDroppedError, refusalStatus, serviceTimeMs } from '../../legacy-stub/src/capacity.js'
import type { Admission, Release } from '../../legacy-stub/src/capacity.js'

const admitted = (a: Admission): Promise<Release> => {
  if (a.kind !== 'admitted') throw new Error(`expected admission, got ${a.status}`)
  return a.worker
}

t.test('workers first, then a FIFO queue, then refusals', async t => {
  const model = new CapacityModel({ maxConcurrency: 2, queueLimit: 2 })
  const r1 = await admitted(model.admit())
  const r2 = await admitted(model.admit())
  const order: string[] = []
  const w3 = admitted(model.admit()).then(r => { order.push('third'); return r })
  const w4 = admitted(model.admit()).then(r => { order.push('fourth'); return r })
  t.match(model, { inflight: 2, queued: 2, maxInflight: 2, maxQueued: 2 })
  t.same(model.admit(), { kind: 'refused', status: 503, waiting: 2 })

  r1()
  r1() // releasing twice is harmless
  const r3 = await w3
  t.same(order, ['third'])
  t.match(model, { inflight: 2, queued: 1 })
  r2()
  const r4 = await w4
  t.same(order, ['third', 'fourth'])
  r3()
  r4()
  t.match(model, { inflight: 0, queued: 0, maxInflight: 2, maxQueued: 2 })
})

t.test('every 4th refusal is a 500', async t => {
  t.equal(OVERLOAD_500_EVERY, 4)
  t.same([1, 2, 3, 4, 5, 6, 7, 8].map(refusalStatus), [503, 503, 503, 500, 503, 503, 503, 500])
  const model = new CapacityModel({ maxConcurrency: 1, queueLimit: 0 })
  await admitted(model.admit())
  const statuses = Array.from({ length: 8 }, () => model.admit()).map(a => a.kind === 'refused' ? a.status : 0)
  t.same(statuses, [503, 503, 503, 500, 503, 503, 503, 500])
  model.resetCounters()
  t.match(model.admit(), { status: 503 }, 'reset restarts the rule')
  t.match(model, { refusals: 1, maxInflight: 1, maxQueued: 0 })
})

t.test('service time stretches with the queue, up to twice the latency', async t => {
  t.equal(serviceTimeMs(20, 0, 32), 20)
  t.equal(serviceTimeMs(20, 16, 32), 30)
  t.equal(serviceTimeMs(20, 32, 32), 40)
  t.equal(serviceTimeMs(20, 99, 32), 40, 'capped')
  t.equal(serviceTimeMs(20, 0, 0), 20, 'no queue, no stretch')
})

t.test('dropping the queue rejects every waiter', async t => {
  const model = new CapacityModel({ maxConcurrency: 1, queueLimit: 3 })
  const release = await admitted(model.admit())
  const waiters = [admitted(model.admit()), admitted(model.admit())]
  t.equal(model.dropQueue(), 2)
  for (const w of waiters) {
    const err = await w.then(() => undefined, (e: unknown) => e)
    t.ok(err instanceof QueueDroppedError, 'rejected with QueueDroppedError')
  }
  release()
  t.match(model, { inflight: 0, queued: 0 })
})
