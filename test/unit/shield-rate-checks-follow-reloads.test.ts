import t from 'tap'
import type { Test } from 'tap'
import { BreakerRegistry } from '../../gateway/src/protection/breaker-registry.js'
import { ConcurrencyLimiter } from '../../gateway/src/protection/concurrency-limiter.js'
import { RateLimiter } from '../../gateway/src/protection/rate-limiter.js'
import { createMemoryRateLimiter } from '../../gateway/src/protection/rate-limiter.port.js'
import { Shield } from '../../gateway/src/protection/shield.js'
import type { ShieldContext, ShieldOptions } from '../../gateway/src/protection/shield.js'

// The shield builds its global and route checks once and reuses them; these tests prove a
// reload still reaches the very next request, and that two clients never share a bucket
// through the reused client check.

function build (t: Test, over: Partial<ShieldOptions> = {}): Shield {
  const breakers = new BreakerRegistry()
  t.teardown(() => breakers.close())
  return new Shield({
    name: 'legacy',
    limiter: new ConcurrencyLimiter({ name: 'legacy', maxConcurrency: 10, queue: { maxSize: 0, maxWaitMs: 1 } }),
    breakers,
    breaker: { volumeThreshold: 100 },
    rateLimiter: new RateLimiter({ now: () => 0 }),
    ...over
  })
}

/** Admits one request; the RateLimit-Limit it was shown, or the rejection's code. */
async function admitted (shield: Shield, ctx: Omit<ShieldContext, 'method' | 'setHeader'>): Promise<string> {
  const headers: Record<string, string> = {}
  try {
    await shield.admit({ method: 'GET', ...ctx, setHeader (name, value) { headers[name] = value } })
  } catch (err) {
    return (err as { code: string }).code
  }
  return `limit ${headers['ratelimit-limit'] ?? 'none'}`
}

for (const mode of ['sync limiter', 'async limiter'] as const) {
  t.test(`${mode}: updateRateLimits applies new global and client rules from the next request`, async t => {
    const shield = build(t, {
      globalRateLimit: { perSecond: 0, burst: 2 },
      ...(mode === 'async limiter' ? { asyncRateLimiter: createMemoryRateLimiter({ now: () => 0 }) } : {})
    })
    t.equal(await admitted(shield, { routeId: 'r' }), 'limit 2')
    shield.updateRateLimits({ globalRateLimit: { perSecond: 0, burst: 1 } })
    t.equal(await admitted(shield, { routeId: 'r' }), 'limit 1', 'the shrunk burst is the one shown at once')
    t.equal(await admitted(shield, { routeId: 'r' }), 'GW_ERR_RATE_LIMITED', 'and the bucket is empty')
    shield.updateRateLimits({ globalRateLimit: undefined, clientRateLimit: { perSecond: 0, burst: 5 } })
    t.equal(await admitted(shield, { routeId: 'r', clientKey: 'ip:1' }), 'limit 5', 'no global bucket any more (an old check would refuse), the client one applies')
    shield.updateRateLimits({})
    t.equal(await admitted(shield, { routeId: 'r', clientKey: 'ip:1' }), 'limit none', 'no rule left: no check, no headers')
  })

  t.test(`${mode}: a route's new rule object applies on the next request; clients keep their own buckets`, async t => {
    const shield = build(t, {
      clientRateLimit: { perSecond: 0, burst: 1 },
      ...(mode === 'async limiter' ? { asyncRateLimiter: createMemoryRateLimiter({ now: () => 0 }) } : {})
    })
    t.equal(await admitted(shield, { routeId: 'a', routeRateLimit: { perSecond: 0, burst: 3 }, clientKey: 'ip:1' }), 'limit 1')
    t.equal(await admitted(shield, { routeId: 'a', routeRateLimit: { perSecond: 0, burst: 7 }, clientKey: 'ip:2' }), 'limit 1',
      'a second client has a bucket of its own')
    t.equal(await admitted(shield, { routeId: 'a', routeRateLimit: { perSecond: 0, burst: 7 }, clientKey: 'ip:1' }), 'GW_ERR_RATE_LIMITED')
    t.equal(await admitted(shield, { routeId: 'a', routeRateLimit: { perSecond: 0, burst: 7 } }), 'limit 7',
      'the reloaded route rule (7) is the one checked, not the first one (3)')
    t.equal(await admitted(shield, { routeId: 'b', routeRateLimit: { perSecond: 0, burst: 2 } }), 'limit 2', 'route b: its own bucket')
  })
}
