import t from 'tap'
import { RateLimiter } from '../../gateway/src/protection/rate-limiter.js'

t.test('admitted requests get RateLimit-* of the tightest bucket; a refusal adds an exact Retry-After', async t => {
  let now = 0
  const limiter = new RateLimiter({ now: () => now })
  const checks = [
    { scope: 'global' as const, key: 'legacy', rule: { perSecond: 100, burst: 50 } },
    { scope: 'route' as const, key: 'users.get', rule: { perSecond: 0.5, burst: 2 } }
  ]
  const first = limiter.check(checks)
  t.same(first, {
    allowed: true,
    retryAfterSeconds: 0,
    headers: { 'ratelimit-limit': '2', 'ratelimit-remaining': '1', 'ratelimit-reset': '2' }
  })
  limiter.check(checks)
  const refused = limiter.check(checks)
  t.same(refused, {
    allowed: false,
    scope: 'route',
    retryAfterSeconds: 2,
    headers: { 'ratelimit-limit': '2', 'ratelimit-remaining': '0', 'ratelimit-reset': '4', 'retry-after': '2' }
  }, 'one token at 0.5/s = 2 s; full again in 4 s')
  now = 1500
  t.equal(limiter.check(checks).headers['retry-after'], '1', '500 ms left rounds up to 1 s')
  now = 2000
  t.ok(limiter.check(checks).allowed, 'admitted exactly when Retry-After said')
})

t.test('a refusal by one bucket consumes nothing from the others', async t => {
  const now = 0
  const limiter = new RateLimiter({ now: () => now })
  const client = { scope: 'client' as const, key: 'ip:1', rule: { perSecond: 1, burst: 3 } }
  const global = { scope: 'global' as const, key: 'legacy', rule: { perSecond: 1, burst: 1 } }
  t.ok(limiter.check([client, global]).allowed)
  for (let i = 0; i < 5; i++) t.notOk(limiter.check([client, global]).allowed, 'global empty')
  const clientOnly = limiter.check([client])
  t.equal(clientOnly.headers['ratelimit-remaining'], '1', 'client bucket lost only the admitted token')
})

t.test('no checks = admitted, no headers', async t => {
  t.same(new RateLimiter().check([]), { allowed: true, retryAfterSeconds: 0, headers: {} })
})
