// A replica that dies holding legacy permits (a child process SIGKILLed, or a connection
// dropped without releasing) does not shrink capacity for longer than the lease TTL.
import { redisTest } from '../helpers/redis-gate.js'
import type { Test } from 'tap'
import { DegradedMode } from '../../gateway/src/distributed/degraded-mode.js'
import { RedisSemaphore } from '../../gateway/src/distributed/redis-semaphore.js'
import { closeRedisClient, createRedisClient } from '../../gateway/src/distributed/redis-client.js'
import { SHARED_REDIS_URL, connectedClient, testPrefix } from '../helpers/redis.js'
import { spawnPermitHolder } from '../helpers/redis-child.js'

const LEASE_TTL_MS = 1000

async function survivor (t: Test, keyPrefix: string, cap: number): Promise<RedisSemaphore> {
  const client = await connectedClient(t, undefined, { timeoutMs: 1000 })
  const subscriber = await connectedClient(t, undefined, { timeoutMs: 1000 })
  const degraded = new DegradedMode({ client, expectedReplicas: 2 })
  const sem = new RedisSemaphore({ name: 'legacy', maxConcurrency: cap, queue: { maxSize: 8, maxWaitMs: 5000 }, client, subscriber, degraded, keyPrefix, leaseTtlMs: LEASE_TTL_MS })
  t.teardown(() => { sem.close(); degraded.close() })
  return sem
}

redisTest('permits of a SIGKILLed replica expire after the lease TTL', async t => {
  const keyPrefix = testPrefix(t)
  const holder = await spawnPermitHolder(t, { REDIS_URL: SHARED_REDIS_URL, KEY_PREFIX: keyPrefix, CAP: '3', HOLD: '3', LEASE_TTL_MS: String(LEASE_TTL_MS) })
  const sem = await survivor(t, keyPrefix, 3)
  t.equal(await sem.globalInflight(), 3, 'the child holds the whole cap')
  // While alive it renews: after more than one TTL its leases are still there.
  await new Promise(resolve => setTimeout(resolve, LEASE_TTL_MS * 1.3))
  t.equal(await sem.globalInflight(), 3, 'a live holder keeps its permits past the TTL (renewal)')
  await holder.kill()
  const killedAt = performance.now()
  // A queued caller gets a permit once the dead leases expire (woken by polling).
  const releases = await Promise.all([sem.acquire(), sem.acquire(), sem.acquire()])
  const waitedMs = performance.now() - killedAt
  t.ok(waitedMs <= LEASE_TTL_MS + 1500, `full capacity back ${Math.round(waitedMs)} ms after SIGKILL (TTL ${LEASE_TTL_MS} ms)`)
  t.equal(await sem.globalInflight(), 3, 'the survivor now holds all 3')
  for (const r of releases) r()
})

redisTest('a replica whose connection drops without releasing loses its permits after the TTL', async t => {
  const keyPrefix = testPrefix(t)
  const client = createRedisClient(SHARED_REDIS_URL, { timeoutMs: 1000 })
  const subscriber = createRedisClient(SHARED_REDIS_URL, { timeoutMs: 1000 })
  await Promise.all([client.connect(), subscriber.connect()])
  const degraded = new DegradedMode({ client, expectedReplicas: 2 })
  const doomed = new RedisSemaphore({ name: 'legacy', maxConcurrency: 2, queue: { maxSize: 0, maxWaitMs: 1 }, client, subscriber, degraded, keyPrefix, leaseTtlMs: LEASE_TTL_MS })
  await Promise.all([doomed.acquire(), doomed.acquire()])
  doomed.close()
  degraded.close()
  client.disconnect(false)
  await closeRedisClient(subscriber)
  const sem = await survivor(t, keyPrefix, 2)
  await t.rejects(sem.acquire({ signal: AbortSignal.timeout(200) }), 'no permit while the dead leases live')
  const started = performance.now()
  const release = await sem.acquire()
  t.ok(performance.now() - started <= LEASE_TTL_MS + 1500, 'a permit is granted once the leases expire')
  release()
})
