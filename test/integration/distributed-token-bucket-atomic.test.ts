// Shared token bucket: many clients taking at once from one bucket never get more than the
// capacity plus what refilled while they took (one Lua script per decision, Redis TIME).
import { redisTest } from '../helpers/redis-gate.js'
import { DegradedMode } from '../../gateway/src/distributed/degraded-mode.js'
import { RedisRateLimiter } from '../../gateway/src/distributed/redis-token-bucket.js'
import { connectedClient, testPrefix } from '../helpers/redis.js'

redisTest('6 clients x 40 concurrent takes never exceed capacity + refill', async t => {
  const keyPrefix = testPrefix(t)
  const rule = { perSecond: 2, burst: 25 }
  const limiters = await Promise.all(Array.from({ length: 6 }, async () => {
    const client = await connectedClient(t, undefined, { timeoutMs: 1000 })
    const degraded = new DegradedMode({ client, expectedReplicas: 6 })
    t.teardown(() => { degraded.close() })
    return { limiter: new RedisRateLimiter({ client, degraded, keyPrefix }), degraded }
  }))
  const started = performance.now()
  const decisions = await Promise.all(limiters.flatMap(({ limiter }) =>
    Array.from({ length: 40 }, () => limiter.check([{ scope: 'global', key: 'legacy', rule }]))))
  const elapsedS = (performance.now() - started) / 1000
  const allowed = decisions.filter(d => d.allowed).length
  const bound = rule.burst + Math.ceil(elapsedS * rule.perSecond)
  t.ok(allowed >= rule.burst, `at least the burst is admitted (${allowed})`)
  t.ok(allowed <= bound, `${allowed} admitted of 240 <= ${bound} (burst + refill over ${elapsedS.toFixed(2)} s)`)
  t.ok(limiters.every(l => !l.degraded.degraded), 'no client fell back to local limits')
  const refused = decisions.find(d => !d.allowed)
  t.equal(refused?.headers['ratelimit-limit'], '25', 'refusals carry the RateLimit headers')
  t.ok(Number(refused?.retryAfterSeconds) >= 1, 'and a Retry-After of at least 1 s')
})

redisTest('a refusal by one bucket consumes nothing from the others', async t => {
  const keyPrefix = testPrefix(t)
  const client = await connectedClient(t, undefined, { timeoutMs: 1000 })
  const degraded = new DegradedMode({ client, expectedReplicas: 1 })
  t.teardown(() => { degraded.close() })
  const limiter = new RedisRateLimiter({ client, degraded, keyPrefix })
  const tight = { perSecond: 0.01, burst: 1 }
  const roomy = { perSecond: 0.01, burst: 3 }
  const both = [{ scope: 'global' as const, key: 'g', rule: tight }, { scope: 'client' as const, key: 'c', rule: roomy }]
  t.equal((await limiter.check(both)).allowed, true)
  const second = await limiter.check(both)
  t.equal(second.allowed, false)
  t.equal(second.scope, 'global', 'the global bucket refused')
  const clientOnly = await limiter.check([{ scope: 'client', key: 'c', rule: roomy }])
  t.equal(clientOnly.headers['ratelimit-remaining'], '1', 'the client bucket lost only the admitted token')
})
