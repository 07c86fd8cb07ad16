// The wiring of retention: openAsyncIntegration's start() starts the sweep with the configured
// async.retention; settled jobs past it are deleted and counted in gateway_async_swept_total, the
// store's size is gateway_async_store_bytes, dead letters and recent settled jobs stay, and
// stop() ends the sweep before the queue closes.
import t from 'tap'
import { Registry } from 'prom-client'
import { openAsyncIntegration } from '../../gateway/src/async/async-setup.js'
import { newJob } from '../helpers/job-queue-contract.js'

const result = { status: 201, headers: {}, body: '{}', truncated: false }

async function metric (registry: Registry, name: string): Promise<number | undefined> {
  const m = (await registry.getMetricsAsJSON()).find(x => x.name === name)
  return m?.values[0]?.value
}

t.test('start() sweeps on its timer; swept count and store size on the registry', async t => {
  const registry = new Registry()
  const jobs = openAsyncIntegration({
    settings: { dataDir: t.testdir(), retention: { settledMs: 60_000, sweepIntervalMs: 100 } },
    legacy: { url: 'http://127.0.0.1:1', timeoutMs: 1000 },
    deliver: async () => { throw new Error('no delivery in this test') },
    registry
  })
  t.teardown(() => jobs.stop())
  t.same(jobs.settings.retention, { settledMs: 60_000, sweepIntervalMs: 100, batchSize: 100 }, 'unset fields take their defaults')
  const q = jobs.queue
  const old = Date.now() - 120_000
  const ids: string[] = []
  for (let i = 0; i < 5; i++) ids.push((await q.enqueue(newJob(i))).job.id)
  await q.claimDue(Date.now(), 5)
  for (const id of ids.slice(0, 3)) await q.markDelivered(id, result, old)
  await q.markFailed(ids[3]!, { ...result, status: 400 }, Date.now()) // settled, but within retention
  await q.markDead(ids[4]!, 'not delivered before its deadline', old)
  t.ok((await metric(registry, 'gateway_async_store_bytes'))! > 0, 'store size reported')

  await jobs.start()
  const deadline = Date.now() + 10_000
  while ((await metric(registry, 'gateway_async_swept_total') ?? 0) < 3 && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  t.equal(await metric(registry, 'gateway_async_swept_total'), 3, 'three jobs past retention swept and counted')
  t.same(await q.counts(), { queued: 0, delivering: 0, delivered: 0, failed: 1, dead: 1 }, 'recent failed and dead jobs kept')
  t.equal(await jobs.queue.purgeDead(), 1, 'the dead letter is still there to purge')
  await jobs.stop()
  t.equal(await jobs.sweeper.sweep(), 0, 'a stopped sweeper does not step')
})
