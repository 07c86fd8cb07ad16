import t from 'tap'
import type { Test } from 'tap'
import { BreakerRegistry } from '../../gateway/src/protection/breaker-registry.js'
import { ConcurrencyLimiter } from '../../gateway/src/protection/concurrency-limiter.js'
import { RateLimiter } from '../../gateway/src/protection/rate-limiter.js'
import { Shield } from '../../gateway/src/protection/shield.js'
import type { ShieldOptions } from '../../gateway/src/protection/shield.js'
import { RetryBudget } from '../../gateway/src/protection/retry-budget.js'
import { ManualClock, flush } from '../helpers/protection-clock.js'

function build (t: Test, over: Partial<ShieldOptions> = {}) {
  const clock = new ManualClock()
  const rejects: string[] = []
  const inflight: number[] = []
  const breakers = new BreakerRegistry()
  t.teardown(() => breakers.close())
  const shield = new Shield({
    name: 'legacy',
    limiter: new ConcurrencyLimiter({
      name: 'legacy', maxConcurrency: 1, queue: { maxSize: 1, maxWaitMs: 250 }, clock, onChange: n => inflight.push(n)
    }),
    breakers,
    breaker: { volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeoutMs: 60_000 },
    rateLimiter: new RateLimiter({ now: () => clock.now() }),
    hooks: { onReject: (route, reason) => rejects.push(`${route}:${reason}`) },
    ...over
  })
  return { shield, clock, rejects, inflight, breakers }
}

t.test('rate limit first: a 429 never takes a permit; admitted requests get RateLimit-* headers', async t => {
  const { shield, rejects, inflight } = build(t, { clientRateLimit: { perSecond: 1, burst: 1 } })
  const headers: Record<string, string> = {}
  const ctx = { routeId: 'users.get', method: 'GET', clientKey: 'ip:1', setHeader: (n: string, v: string) => { headers[n] = v } }
  t.equal(await shield.run(ctx, async () => 'ok'), 'ok')
  t.same(headers, { 'ratelimit-limit': '1', 'ratelimit-remaining': '0', 'ratelimit-reset': '1' })
  await t.rejects(shield.run(ctx, async () => 'ok'), {
    code: 'GW_ERR_RATE_LIMITED', statusCode: 429, retryAfterSeconds: 1, headers: { 'retry-after': '1', 'ratelimit-remaining': '0' }
  })
  t.same(rejects, ['users.get:rate_limited'])
  t.same(inflight, [1, 0], 'the refused request never held a permit')
  t.ok(await shield.run({ ...ctx, clientKey: 'ip:2' }, async () => 'ok'), 'another client passes')
})

t.test('queue shed and timeout are reported with their reasons', async t => {
  const { shield, clock, rejects } = build(t)
  let finish = (): void => {}
  const busy = shield.run({ routeId: 'a', method: 'GET' }, () => new Promise<void>(resolve => { finish = resolve }))
  const waiting = shield.run({ routeId: 'b', method: 'GET' }, async () => 'late')
  await t.rejects(shield.run({ routeId: 'c', method: 'GET' }, async () => 'x'), { code: 'GW_ERR_SHED_QUEUE_FULL' })
  clock.advance(250)
  await t.rejects(waiting, { code: 'GW_ERR_SHED_QUEUE_TIMEOUT' })
  finish()
  await busy
  t.same(rejects, ['c:concurrency', 'b:queue_timeout'])
  t.equal(shield.limiter.inflight, 0)
})

t.test('an open breaker is refused before queueing; a failure result counts but is still returned', async t => {
  const { shield, rejects, inflight } = build(t)
  const ctx = { routeId: 'r', method: 'GET', isFailureResult: (v: unknown) => (v as { status: number }).status >= 500 }
  t.same(await shield.run(ctx, async () => ({ status: 503 })), { status: 503 }, 'a 5xx answer is passed through')
  t.same(await shield.run(ctx, async () => ({ status: 500 })), { status: 500 })
  const before = inflight.length
  await t.rejects(shield.run(ctx, async () => ({ status: 200 })), { code: 'GW_ERR_BREAKER_OPEN', reason: 'breaker_open' })
  t.equal(inflight.length, before, 'no permit taken while open')
  t.same(rejects, ['r:breaker_open'])
})

t.test('a per-route breaker opens without opening the upstream breaker', async t => {
  const { shield, breakers } = build(t)
  const ctx = { routeId: 'budgets.get', method: 'GET', routeBreaker: { volumeThreshold: 1, resetTimeoutMs: 60_000 } }
  await t.rejects(shield.run(ctx, () => Promise.reject(Object.assign(new Error('x'), { statusCode: 500 }))))
  t.equal(breakers.state('legacy:route:budgets.get'), 'open')
  t.equal(breakers.state('legacy'), 'closed')
  await t.rejects(shield.run(ctx, async () => 1), { code: 'GW_ERR_BREAKER_OPEN' })
  t.equal(await shield.run({ routeId: 'other', method: 'GET' }, async () => 2), 2)
})

t.test('retries: GET retried within budget, POST never', async t => {
  const config = { enabled: true, maxAttempts: 3, budgetPercent: 20, minRetryConcurrency: 3, baseDelayMs: 0, maxDelayMs: 0 }
  const { shield } = build(t, { retry: { config, budget: new RetryBudget(config) }, breaker: { volumeThreshold: 1000 } })
  let calls = 0
  const flaky = async () => {
    calls++
    if (calls < 3) throw Object.assign(new Error('bad gateway'), { statusCode: 502 })
    return 'third time'
  }
  t.equal(await shield.run({ routeId: 'r', method: 'GET' }, flaky), 'third time')
  t.equal(calls, 3)
  calls = 0
  await t.rejects(shield.run({ routeId: 'r', method: 'POST' }, flaky), { message: 'bad gateway', statusCode: 502 })
  t.equal(calls, 1, 'POST tried once')
  await flush()
})

t.test('a reload changes the legacy cap, queue and rate rules at once', async t => {
  const { Protection } = await import('../../gateway/src/protection/protection.js')
  const protection = new Protection({ maxConcurrency: 2, rateLimit: { perSecond: 1, burst: 1 } })
  t.teardown(() => protection.close())
  const ctx = { routeId: 'r', method: 'GET' }
  await protection.legacy.run(ctx, async () => 1)
  await t.rejects(protection.legacy.run(ctx, async () => 1), { code: 'GW_ERR_RATE_LIMITED' })
  protection.reconfigureLegacy({ maxConcurrency: 5, queue: { maxSize: 0, maxWaitMs: 10 }, rateLimit: { perSecond: 100, burst: 100 } })
  t.equal(protection.legacy.limiter.limit, 5)
  await new Promise(resolve => setTimeout(resolve, 30)) // the bucket keeps its level and refills at the new rate
  t.equal(await protection.legacy.run(ctx, async () => 2), 2)
})

t.test('50 concurrent failing GETs: retries stay within the budget, none into an open breaker', async t => {
  const config = { enabled: true, maxAttempts: 3, budgetPercent: 20, minRetryConcurrency: 3, baseDelayMs: 1, maxDelayMs: 5 }
  const budget = new RetryBudget(config)
  const { shield, breakers } = build(t, {
    retry: { config, budget },
    limiter: new ConcurrencyLimiter({ name: 'legacy', maxConcurrency: 100, queue: { maxSize: 0, maxWaitMs: 1 } }),
    breaker: { volumeThreshold: 100_000 }
  })
  let calls = 0
  const failing = async () => {
    calls++
    await new Promise(resolve => setTimeout(resolve, 2))
    throw Object.assign(new Error('bad gateway'), { statusCode: 502 })
  }
  const results = await Promise.allSettled(Array.from({ length: 50 }, () => shield.run({ routeId: 'r', method: 'GET' }, failing)))
  t.ok(results.every(r => r.status === 'rejected' && (r.reason as { statusCode?: number }).statusCode === 502), 'clients get the original 502')
  t.ok(budget.maxActiveRetriesSeen <= 10, `at most max(3, 20% of 50) = 10 retries at once (saw ${budget.maxActiveRetriesSeen})`)
  t.ok(budget.denied > 0, `budget refused ${budget.denied} retries`)
  t.ok(calls < 150, `${calls} upstream calls instead of 150 without a budget`)
  t.equal(breakers.state('legacy'), 'closed')
})

t.test('no retry into a breaker opened by the first failure', async t => {
  const config = { enabled: true, maxAttempts: 3, budgetPercent: 20, minRetryConcurrency: 3, baseDelayMs: 0, maxDelayMs: 0 }
  const { shield } = build(t, { retry: { config, budget: new RetryBudget(config) }, breaker: { volumeThreshold: 1, resetTimeoutMs: 60_000 } })
  let calls = 0
  await t.rejects(shield.run({ routeId: 'r', method: 'GET' }, async () => {
    calls++
    throw Object.assign(new Error('bad gateway'), { statusCode: 502 })
  }), { message: 'bad gateway', statusCode: 502 })
  t.equal(calls, 1)
})
