// The upstream gauges over the shared legacy permits (RedisSemaphore): the cap is the shared one
// and follows a reload; the queue depth is this replica's own waiters while another replica holds
// every permit, read from the local wait queue without a Redis call.
import { Registry } from 'prom-client'
import { redisTest } from '../helpers/redis-gate.js'
import { DegradedMode } from '../../gateway/src/distributed/degraded-mode.js'
import { RedisSemaphore } from '../../gateway/src/distributed/redis-semaphore.js'
import { registerUpstreamGauges } from '../../gateway/src/protection/upstream-gauges.js'
import { connectedClient, testPrefix } from '../helpers/redis.js'

async function sample (registry: Registry, name: string): Promise<number | undefined> {
  const metric = await registry.getSingleMetric(name)?.get()
  return metric?.values.find(v => v.labels.upstream === 'legacy')?.value
}

redisTest('shared cap and local queue depth while another replica holds every permit', async t => {
  const keyPrefix = testPrefix(t)
  const replica = async (i: number): Promise<{ sem: RedisSemaphore, degraded: DegradedMode }> => {
    const client = await connectedClient(t, undefined, { timeoutMs: 1000, connectionName: `sem-gauge-${i}` })
    const subscriber = await connectedClient(t, undefined, { timeoutMs: 1000 })
    const degraded = new DegradedMode({ client, expectedReplicas: 2 })
    const sem = new RedisSemaphore({ name: 'legacy', maxConcurrency: 2, queue: { maxSize: 8, maxWaitMs: 15_000 }, client, subscriber, degraded, keyPrefix })
    t.teardown(() => { sem.close(); degraded.close() })
    return { sem, degraded }
  }
  const a = await replica(0)
  const b = await replica(1)
  const registry = new Registry()
  registerUpstreamGauges(registry, () => [{ name: 'legacy', limiter: b.sem }])
  t.equal(await sample(registry, 'gateway_upstream_concurrency_limit'), 2, 'the shared cap')

  const held = [await a.sem.acquire(), await a.sem.acquire()]
  const waiting = [b.sem.acquire(), b.sem.acquire(), b.sem.acquire()]
  // acquire() asks Redis first: the callers join b's queue once the lease was refused.
  for (let i = 0; i < 100 && b.sem.queued < 3; i++) await new Promise(resolve => setTimeout(resolve, 10))
  t.equal(await sample(registry, 'gateway_upstream_queue_depth'), 3, 'b\'s three callers wait for a permit held by a')
  for (const release of held) release()
  const got = await Promise.all(waiting.slice(0, 2))
  t.equal(await sample(registry, 'gateway_upstream_queue_depth'), 1, 'two served, one still waits')
  for (const release of got) release()
  ;(await waiting[2]!)()
  t.equal(await sample(registry, 'gateway_upstream_queue_depth'), 0, 'all served')

  b.sem.reconfigure(6, { maxSize: 8, maxWaitMs: 15_000 })
  t.equal(await sample(registry, 'gateway_upstream_concurrency_limit'), 6, 'a reload\'s cap')
  t.equal(b.degraded.degraded, false, 'not degraded: the shared cap, not the per-replica share')
})
