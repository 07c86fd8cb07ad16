// Redis down or slow: every call still answers within the bounded timeout, decisions come from
// local limits divided by the expected replica count, readiness goes false and the degradation
// is logged once per episode; when Redis is back the replica returns to the shared state.
// Uses a private redis-server (killed and restarted here), never the shared one.
import { redisTest } from '../helpers/redis-gate.js'
import { DegradedMode } from '../../gateway/src/distributed/degraded-mode.js'
import { createRedisAuditLog } from '../../gateway/src/distributed/redis-audit-log.js'
import { createRedisStateStore } from '../../gateway/src/distributed/redis-route-state-store.js'
import { RedisSemaphore } from '../../gateway/src/distributed/redis-semaphore.js'
import { RedisRateLimiter } from '../../gateway/src/distributed/redis-token-bucket.js'
import { RouteStateService } from '../../gateway/src/ops/route-state-service.js'
import { connectedClient, startPrivateRedis } from '../helpers/redis.js'

const rule = { perSecond: 0.01, burst: 9 }
const check = (limiter: RedisRateLimiter, key: string) => limiter.check([{ scope: 'client', key, rule }])

async function timed<T> (p: Promise<T>): Promise<{ value: T, ms: number }> {
  const started = performance.now()
  const value = await p
  return { value, ms: performance.now() - started }
}

redisTest('Redis killed: local limits / 3, readiness false, logged once; restarted: shared again', async t => {
  const redis = await startPrivateRedis(t)
  const client = await connectedClient(t, redis.url, { timeoutMs: 50 })
  const subscriber = await connectedClient(t, redis.url, { timeoutMs: 1000 })
  const logs: Array<[string, object]> = []
  const degraded = new DegradedMode({
    client, expectedReplicas: 3, probeIntervalMs: 100, logger: { warn: (o) => logs.push(['warn', o]), info: (o) => logs.push(['info', o]) }
  })
  t.teardown(() => { degraded.close() })
  const changes: boolean[] = []
  degraded.onDegradedChange(d => { changes.push(d) })
  const limiter = new RedisRateLimiter({ client, degraded, keyPrefix: 'gw:' })
  const sem = new RedisSemaphore({ name: 'legacy', maxConcurrency: 6, queue: { maxSize: 0, maxWaitMs: 1 }, client, subscriber, degraded, keyPrefix: 'gw:', leaseTtlMs: 2000 })
  t.teardown(() => { sem.close() })

  t.equal((await check(limiter, 'before')).headers['ratelimit-limit'], '9', 'healthy: the shared bucket (burst 9) decides')
  t.equal(degraded.ready, true)

  await redis.kill()
  const calls = await Promise.all([
    ...Array.from({ length: 20 }, () => timed(check(limiter, 'during'))),
    ...Array.from({ length: 3 }, () => timed(sem.acquire().then(r => r, (e: unknown) => e)))
  ])
  const slowest = Math.max(...calls.map(c => c.ms))
  t.ok(slowest < 500, `no call hung on the dead Redis (slowest ${Math.round(slowest)} ms)`)
  const decisions = calls.slice(0, 20).map(c => c.value as Awaited<ReturnType<typeof check>>)
  t.equal(decisions.filter(d => d.allowed).length, 3, 'the client got burst 9 / 3 replicas = 3 locally')
  t.equal(decisions[0]?.headers['ratelimit-limit'], '3', 'headers show the local share')
  const permits = calls.slice(20).map(c => c.value)
  t.equal(permits.filter(p => typeof p === 'function').length, 2, 'legacy cap 6 / 3 replicas = 2 local permits')
  t.match(permits.find(p => typeof p !== 'function'), { reason: 'concurrency' }, 'the third is shed')
  t.equal(degraded.ready, false, 'readiness reports not ready')
  t.equal(sem.limit, 2, 'the semaphore reports the local cap')
  t.same(changes, [true], 'the metric hook heard one change')
  t.equal(logs.filter(([level]) => level === 'warn').length, 1, 'the degradation was logged once for 23 failing calls')
  for (const p of permits) if (typeof p === 'function') p()

  const started = performance.now()
  await redis.start()
  while (degraded.degraded && performance.now() - started < 8000) await new Promise(resolve => setTimeout(resolve, 50))
  t.equal(degraded.ready, true, `recovered ${Math.round(performance.now() - started)} ms after the restart began`)
  t.same(changes, [true, false], 'the metric hook heard the recovery')
  t.equal(logs.filter(([level]) => level === 'info').length, 1, 'the recovery was logged once')
  t.equal((await check(limiter, 'after')).headers['ratelimit-limit'], '9', 'the shared bucket decides again')
  const release = await sem.acquire()
  t.equal(await sem.globalInflight(), 1, 'permits are shared leases again')
  release()
})

redisTest('Redis paused (slower than the 50 ms budget): calls answer in time, degrade, then recover', async t => {
  const redis = await startPrivateRedis(t)
  const client = await connectedClient(t, redis.url, { timeoutMs: 50 })
  const admin = await connectedClient(t, redis.url, { timeoutMs: 1000 })
  const degraded = new DegradedMode({ client, expectedReplicas: 2, probeIntervalMs: 100 })
  t.teardown(() => { degraded.close() })
  const limiter = new RedisRateLimiter({ client, degraded, keyPrefix: 'gw:' })
  await admin.call('CLIENT', 'PAUSE', '600', 'ALL')
  const { value, ms } = await timed(check(limiter, 'slow'))
  t.ok(ms < 400, `answered after ${Math.round(ms)} ms while Redis was paused for 600 ms`)
  t.equal(value.headers['ratelimit-limit'], '4', 'from the local share (burst 9 / 2 replicas)')
  // One timeout is a suspicion; the confirming PINGs (50 ms each) time out too: degraded.
  const suspected = performance.now()
  while (!degraded.degraded && performance.now() - suspected < 400) await new Promise(resolve => setTimeout(resolve, 10))
  t.equal(degraded.degraded, true, `degraded ${Math.round(performance.now() - suspected)} ms after the first timeout`)
  const started = performance.now()
  while (degraded.degraded && performance.now() - started < 5000) await new Promise(resolve => setTimeout(resolve, 50))
  t.equal(degraded.degraded, false, 'back to shared state once the pause ended')
  t.equal((await check(limiter, 'slow')).headers['ratelimit-limit'], '9')
})

redisTest('a short stall (every command in flight times out at once) is confirmed by PINGs, not an episode', async t => {
  const redis = await startPrivateRedis(t)
  const client = await connectedClient(t, redis.url, { timeoutMs: 50 })
  const admin = await connectedClient(t, redis.url, { timeoutMs: 1000 })
  const degraded = new DegradedMode({ client, expectedReplicas: 2, probeIntervalMs: 100 })
  t.teardown(() => { degraded.close() })
  const changes: boolean[] = []
  degraded.onDegradedChange(d => { changes.push(d) })
  const limiter = new RedisRateLimiter({ client, degraded, keyPrefix: 'gw:' })
  await admin.call('CLIENT', 'PAUSE', '70', 'ALL')
  const calls = await Promise.all(Array.from({ length: 20 }, () => timed(check(limiter, 'stall'))))
  t.ok(Math.max(...calls.map(c => c.ms)) < 400, 'every call answered within the budget (from the local share)')
  await new Promise(resolve => setTimeout(resolve, 300))
  t.same(changes, [], '20 timeouts from one 70 ms stall: the confirming PING answered, no episode')
  t.equal(degraded.episodes, 0)
  t.equal((await check(limiter, 'stall')).headers['ratelimit-limit'], '9', 'the shared bucket decides')
})

redisTest('a flip while Redis is down is refused whole (GW_ERR_STATE_WRITE), and works once it is back', async t => {
  const redis = await startPrivateRedis(t)
  const client = await connectedClient(t, redis.url, { timeoutMs: 50 })
  const subscriber = await connectedClient(t, redis.url, { timeoutMs: 1000 })
  const store = createRedisStateStore({ client, subscriber, keyPrefix: 'gw:' })
  t.teardown(() => { store.close() })
  const routes = [{ id: 'users.get', methods: ['GET'], path: '/api/users/:id', config: { target: 'legacy' as const, rolloutPercent: 100, shadow: { enabled: false } } }]
  const service = new RouteStateService({ store, audit: createRedisAuditLog({ client, keyPrefix: 'gw:' }), routes })
  await service.init()
  await redis.kill()
  const { value, ms } = await timed(service.patch('users.get', { target: 'lambda' }, { who: 'admin', reason: 'during outage' }).catch((e: unknown) => e))
  t.match(value, { code: 'GW_ERR_STATE_WRITE', statusCode: 500 }, 'the change is refused with a typed error')
  t.ok(ms < 500, `at once (${Math.round(ms)} ms)`)
  t.equal(service.get('users.get')?.target, 'legacy', 'nothing was applied')
  await redis.start()
  const started = performance.now()
  while (client.status !== 'ready' && performance.now() - started < 8000) await new Promise(resolve => setTimeout(resolve, 50))
  await service.patch('users.get', { target: 'lambda' }, { who: 'admin', reason: 'after outage' })
  t.equal(service.get('users.get')?.target, 'lambda', 'the same change goes through once Redis is back')
})

redisTest('callers queued for a shared permit when Redis dies move to the local cap, none hangs', async t => {
  const redis = await startPrivateRedis(t)
  const client = await connectedClient(t, redis.url, { timeoutMs: 50 })
  const subscriber = await connectedClient(t, redis.url, { timeoutMs: 1000 })
  const degraded = new DegradedMode({ client, expectedReplicas: 3, probeIntervalMs: 100 })
  t.teardown(() => { degraded.close() })
  const sem = new RedisSemaphore({ name: 'legacy', maxConcurrency: 3, queue: { maxSize: 8, maxWaitMs: 2000 }, client, subscriber, degraded, keyPrefix: 'gw:', pollMs: 20 })
  t.teardown(() => { sem.close() })
  const held = await Promise.all([sem.acquire(), sem.acquire(), sem.acquire()])
  const waiting = [sem.acquire(), sem.acquire()].map(p => timed(p.then(r => r, (e: unknown) => e)))
  await new Promise(resolve => setTimeout(resolve, 50))
  t.equal(sem.queued, 2, 'two callers wait for a shared permit')
  await redis.kill()
  const [first, second] = await Promise.all(waiting)
  t.type(first?.value, 'function', `the first got a local permit (cap 3 / 3 = 1) after ${Math.round(first?.ms ?? 0)} ms`)
  t.match(second?.value, { reason: 'queue_timeout' }, 'the second waited on the local cap and timed out: an answer, not a hang')
  t.ok((second?.ms ?? Infinity) < 5000)
  for (const r of held) r()
  if (typeof first?.value === 'function') first.value()
})
