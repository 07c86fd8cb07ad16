// GET /__stats counts legacy API traffic only; POST /__stats/reset zeroes the counters but keeps
// the data; POST /__reset also restores the seed and the faults. /__* bypass the capacity model.
import t from 'tap'
import { callJson, startTestLegacyStub } from '../helpers/legacy-stub.js'
import type { UsageSnapshot } from '../../legacy-stub/src/usage.js'
import type { LoopDelay } from '../../legacy-stub/src/loop-delay.js'

const billing = { ProjectId: 1, Amount: 10, Currency: 'EUR', Description: 'x', BilledOn: '2026-11-01' }

t.test('counters follow the API traffic, not the control calls', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 0, maxConcurrency: 3, queueLimit: 7 })
  t.same(await stub.stats(), {
    received: 0,
    served: 0,
    errors: 0,
    refused: 0,
    faulted: 0,
    idempotentReplays: 0,
    inflight: 0,
    maxInflight: 0,
    queued: 0,
    maxQueued: 0,
    billings: 0,
    projectsCreated: 0,
    maxConcurrency: 3,
    queueLimit: 7,
    latencyMs: 0,
    errorRate: 0,
    down: false
  })
  await callJson(`${stub.url}/api/Users/1`)
  await callJson(`${stub.url}/api/Users/999`)
  await callJson(`${stub.url}/api/Billings`, { body: billing })
  await stub.faults({ errorRate: 1 })
  await callJson(`${stub.url}/api/Projects`)
  await stub.faults({ errorRate: 0 })
  t.match(await stub.stats(), {
    received: 4, served: 4, errors: 1, faulted: 1, inflight: 0, maxInflight: 1, billings: 1
  })

  const afterReset = (await callJson(`${stub.url}/__stats/reset`, { method: 'POST' })).body
  t.match(afterReset, { received: 0, served: 0, errors: 0, faulted: 0, maxInflight: 0, billings: 1 }, 'data kept')
  t.equal((await callJson(`${stub.url}/api/Billings`)).body.length, 1)
  t.equal((await stub.stats()).received, 1, 'the list above was counted')

  await callJson(`${stub.url}/api/Projects`, { body: { Name: 'New one', Code: 'PRJ-5000', OwnerId: 1 } })
  await stub.faults({ latencyMs: 5 })
  const full = await stub.reset()
  t.match(full, { received: 0, billings: 0, projectsCreated: 0, latencyMs: 0 })
  t.equal((await callJson(`${stub.url}/api/Projects/13`)).status, 404, 'created project gone')
  t.equal((await callJson(`${stub.url}/api/Budgets/1`)).body.Spent, 0, 'budget back to the seed')
})

t.test('/__stats answers at once while every worker is busy', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 400, maxConcurrency: 1, queueLimit: 1 })
  const busy = [fetch(`${stub.url}/api/Users/1`), fetch(`${stub.url}/api/Users/2`)]
  let stats = await stub.stats()
  while (stats.queued < 1) stats = await stub.stats()
  const started = performance.now()
  stats = await stub.stats()
  t.ok(performance.now() - started < 300, 'not queued behind the 400 ms workers')
  t.match(stats, { inflight: 1, queued: 1, maxInflight: 1, maxQueued: 1, received: 2, served: 0 })
  const refused = await callJson(`${stub.url}/api/Users/3`)
  t.equal(refused.status, 503, 'the API itself is full')
  await Promise.all(busy.map(async p => await (await p).arrayBuffer()))
  t.match(await stub.stats(), { inflight: 0, queued: 0, received: 3, served: 3, refused: 1, errors: 1 })
})

t.test('/__stats/usage reports worker time held on the stub clock, outside the counters', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 50, maxConcurrency: 2, queueLimit: 4 })
  const usage = async (): Promise<UsageSnapshot & { loopDelay: LoopDelay }> =>
    (await callJson(`${stub.url}/__stats/usage`)).body
  const before = await usage()
  t.match(before, { workers: 2, busyWorkerMs: 0, allBusyMs: 0, completed: 0 })
  await Promise.all([1, 2, 3, 4].map(id => callJson(`${stub.url}/api/Users/${id}`)))
  const after = await usage()
  t.equal(after.completed, 4)
  t.ok(after.busyWorkerMs >= 4 * 49, `4 services of ≥ 50 ms held ${after.busyWorkerMs.toFixed(1)} worker-ms`)
  t.ok(after.allBusyMs >= 2 * 49, `2 rounds of both workers busy: ${after.allBusyMs.toFixed(1)} ms`)
  t.ok(after.allBusyMs <= after.clockMs - before.clockMs)
  t.equal((await stub.stats()).received, 4, 'the usage calls were not counted')
  // Two requests took the two idle workers (two gaps); the other two got a worker handed over.
  t.equal(after.idleGaps.count, 2)
  t.equal(after.idleGaps.counts.reduce((a, b) => a + b, 0), 2)
  t.ok(after.idleGaps.totalMs > 0)
  t.equal(after.responseWrite.count, 4, 'every answer written after its service is timed')
  t.ok(after.responseWrite.totalMs >= 0 && after.responseWrite.totalMs < 4 * 50, `${after.responseWrite.totalMs.toFixed(2)} ms writing`)
  // The first read started the loop-delay sampling (every 5 ms): the 100 ms of services were sampled.
  t.ok(after.loopDelay.count > before.loopDelay.count, `${after.loopDelay.count} loop-delay samples`)
  t.ok(Number.isFinite(after.loopDelay.meanMs))
})
