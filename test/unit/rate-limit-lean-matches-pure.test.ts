import t from 'tap'
import { RateLimiter, rateLimitCheck } from '../../gateway/src/protection/rate-limiter.js'
import type { RateLimitCheck, RateLimitDecision, RateLimitRule, RateLimitScope } from '../../gateway/src/protection/rate-limiter.js'
import { decisionFrom, takeEach } from '../../gateway/src/protection/rate-decision.js'
import type { BucketState } from '../../gateway/src/protection/token-bucket.js'

/** The limiter as the pure functions define it: take every bucket, write only an all-allowed set. */
function pureLimiter (now: () => number): (checks: readonly RateLimitCheck[], n: number) => RateLimitDecision {
  const buckets = new Map<string, BucketState>()
  const id = (c: RateLimitCheck): string => `${c.scope}\u0000${c.key}`
  return (checks, n) => {
    const results = takeEach(checks, c => buckets.get(id(c)), now(), n)
    if (results.every(r => r.allowed)) results.forEach((r, i) => buckets.set(id(checks[i] as RateLimitCheck), r.state))
    return decisionFrom(checks, results)
  }
}

/** Deterministic PRNG (mulberry32): the same sequence on every run. */
function prng (seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6D2B79F5) | 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

t.test('the in-place limiter gives the pure take/decisionFrom answer on every call', async t => {
  const random = prng(19)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T
  let now = 1000
  const lean = new RateLimiter({ now: () => now })
  const pure = pureLimiter(() => now)
  const rules: RateLimitRule[] = [{ perSecond: 2, burst: 3 }, { perSecond: 0.5, burst: 1 }, { perSecond: 0, burst: 2 }, { perSecond: 10, burst: 10 }]
  const pool: Array<[RateLimitScope, string]> = [['global', 'legacy'], ['route', 'a'], ['route', 'b'], ['client', 'ip:1'], ['client', 'ip:2']]
  let refusedSeen = 0
  for (let step = 0; step < 20_000; step++) {
    // Time mostly moves on in small steps, sometimes jumps, sometimes goes back.
    now += pick([0, 0, 1, 7, 100, 333, 2500, -50])
    const checks = pool.filter(() => random() < 0.5).map(([scope, key]) => {
      // A rule per call: a reload may grow or shrink any bucket's burst between two requests.
      const rule = pick(rules)
      return random() < 0.5 ? rateLimitCheck(scope, key, rule) : { scope, key, rule }
    })
    const n = pick([1, 1, 1, 2, 4, 11])
    const got = lean.check(checks, n)
    const want = pure(checks, n)
    if (!got.allowed) refusedSeen++
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      t.strictSame(got, want, `step ${step}: ${JSON.stringify(checks)} n=${n} at ${now}`)
      return
    }
  }
  t.ok(refusedSeen > 1000, `refusals exercised too (${refusedSeen})`)
  t.pass('20000 calls, same decisions')
})
