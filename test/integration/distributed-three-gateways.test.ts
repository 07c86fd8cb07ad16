// Three gateway replicas (build() on ephemeral ports) against one legacy stub and one Redis:
// a burst spread across them keeps legacy within the single configured cap, a flip through A is
// in effect on B and C within a second, permits held by a SIGKILLed process come back after the
// lease TTL, and a Redis outage degrades to the local share (readyz 503) without hung requests.
import { redisTest } from '../helpers/redis-gate.js'
import type { Test } from 'tap'
import type { RouteConfig } from '../../gateway/src/config/schema.js'
import { startFakeInvokeApi } from '../fixtures/lambda-target/fake-invoke-api.js'
import { startDistributedReplica } from '../helpers/distributed-gateway.js'
import type { DistributedReplica, ReplicaOptions } from '../helpers/distributed-gateway.js'
import { testConfig } from '../helpers/gateway.js'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'
import { startPrivateRedis, testPrefix } from '../helpers/redis.js'
import { spawnPermitHolder } from '../helpers/redis-child.js'

const CAP = 4

async function setup (t: Test, extra: Partial<ReplicaOptions> = {}) {
  const redis = await startPrivateRedis(t)
  const keyPrefix = testPrefix(t, redis.url)
  const stub = await startTestLegacyStub(t, { maxConcurrency: 32, latencyMs: 25 })
  const fake = await startFakeInvokeApi({ 'Users-DEV': () => ({ kind: 'result', value: { statusCode: 200, body: '"from lambda"' } }) })
  t.teardown(() => fake.close())
  const routes = [{ id: 'users.list', methods: ['GET'], path: '/api/users', target: 'lambda', lambda: { function: 'Users-DEV', timeoutMs: 3000 } }] as unknown as RouteConfig[]
  const config = testConfig({ legacy: { url: stub.url }, lambda: { endpoint: fake.url }, routes })
  const options: ReplicaOptions = { redisUrl: redis.url, keyPrefix, expectedReplicas: 3, maxConcurrency: CAP, queue: { maxSize: 64, maxWaitMs: 8000 }, leaseTtlMs: 1000, ...extra }
  const replicas: DistributedReplica[] = []
  for (const name of ['a', 'b', 'c']) replicas.push(await startDistributedReplica(t, config, options, name))
  return { redis, keyPrefix, stub, replicas }
}

const burst = (replicas: DistributedReplica[], perReplica: number, path = '/api/Projects') =>
  Promise.all(replicas.flatMap(r => Array.from({ length: perReplica }, async () => {
    const started = performance.now()
    const res = await fetch(`${r.url}${path}`)
    await res.arrayBuffer()
    return { status: res.status, ms: performance.now() - started }
  })))

redisTest('a burst across 3 replicas: legacy maxInflight <= the single cap', async t => {
  const { stub, replicas } = await setup(t)
  const results = await burst(replicas, 20)
  t.equal(results.filter(r => r.status === 200).length, 60, 'all 60 requests served')
  const stats = await stub.stats()
  t.ok(stats.maxInflight <= CAP, `legacy maxInflight ${stats.maxInflight} <= cap ${CAP} (3 in-process caps would allow ${3 * CAP})`)
  t.ok(stats.maxInflight >= 2, 'and the permits were used in parallel')
})

redisTest('a flip through A is in effect on B and C within 1 s', async t => {
  const { replicas } = await setup(t)
  const [a, b, c] = replicas as [DistributedReplica, DistributedReplica, DistributedReplica]
  const targetOf = async (r: DistributedReplica) => {
    const res = await fetch(`${r.url}/api/users`)
    await res.arrayBuffer()
    return res.headers.get('x-gateway-target')
  }
  t.equal(await targetOf(b), 'lambda', 'configured target first')
  await a.routeState.patch('users.list', { target: 'legacy' }, { who: 'admin', reason: 'rollback' })
  const started = performance.now()
  let seen = [await targetOf(b), await targetOf(c)]
  while (seen.some(s => s !== 'legacy') && performance.now() - started < 1000) {
    await new Promise(resolve => setTimeout(resolve, 20))
    seen = [await targetOf(b), await targetOf(c)]
  }
  t.same(seen, ['legacy', 'legacy'], `B and C route to legacy ${Math.round(performance.now() - started)} ms after the flip on A`)
})

redisTest('permits held by a SIGKILLed process come back after the lease TTL', async t => {
  const { redis, keyPrefix, stub, replicas } = await setup(t)
  const holder = await spawnPermitHolder(t, { REDIS_URL: redis.url, KEY_PREFIX: keyPrefix, CAP: String(CAP), HOLD: String(CAP), LEASE_TTL_MS: '1000' })
  await holder.kill()
  const killedAt = performance.now()
  const results = await burst(replicas, 4)
  const firstDone = Math.min(...results.map(r => r.ms))
  t.equal(results.filter(r => r.status === 200).length, 12, 'every queued request was served once the leases expired')
  t.ok(performance.now() - killedAt < 1000 + 3000, `all done ${Math.round(performance.now() - killedAt)} ms after the kill (TTL 1000 ms)`)
  t.ok(firstDone >= 300, `the dead holder's permits blocked legacy until they expired: first answer after ${Math.round(firstDone)} ms`)
  t.ok((await stub.stats()).maxInflight <= CAP)
})

redisTest('Redis killed mid-test: served from the local share, readyz 503, no hung request; restarted: shared again', async t => {
  const { redis, stub, replicas } = await setup(t, { queue: { maxSize: 64, maxWaitMs: 3000 } })
  await redis.kill()
  await stub.reset()
  const results = await burst(replicas, 10)
  const slowest = Math.max(...results.map(r => r.ms))
  t.equal(results.filter(r => r.status === 200).length, 30, 'every request served during the outage')
  t.ok(slowest < 3000, `slowest request ${Math.round(slowest)} ms (no request waits on Redis)`)
  const stats = await stub.stats()
  t.ok(stats.maxInflight <= 3 * Math.floor(CAP / 3), `legacy maxInflight ${stats.maxInflight} <= 3 replicas x floor(${CAP}/3)`)
  const ready = await fetch(`${replicas[0]?.adminUrl}/readyz`)
  t.equal(ready.status, 503, 'readyz reports not ready')
  t.match(await ready.json(), { checks: { redis: { ok: false } } })
  const started = performance.now()
  await redis.start()
  while (replicas.some(r => r.dist.degraded.degraded) && performance.now() - started < 8000) await new Promise(resolve => setTimeout(resolve, 50))
  t.ok(replicas.every(r => r.dist.degraded.ready), `all replicas back on shared state ${Math.round(performance.now() - started)} ms after the restart began`)
  t.equal((await fetch(`${replicas[1]?.adminUrl}/readyz`)).status, 200, 'readyz ready again')
  t.equal((await burst(replicas, 3)).filter(r => r.status === 200).length, 9)
})
