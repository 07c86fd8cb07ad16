import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { Protection } from '../../gateway/src/protection/protection.js'
import { LambdaThrottledError } from '../../gateway/src/errors.js'

const breaker = { errorThresholdPercentage: 50, volumeThreshold: 3, resetTimeoutMs: 50, rollingCountTimeoutMs: 10_000, rollingCountBuckets: 10 }
const e500 = () => Object.assign(new Error('upstream answered 500'), { statusCode: 500 })

t.test('leases: 5xx outcomes open the breaker, finish is idempotent, permits come back', async t => {
  const protection = new Protection({ maxConcurrency: 2, breaker, rateLimit: { perSecond: 1000, burst: 1000 } })
  t.teardown(() => protection.close())
  const shield = protection.legacy
  const ctx = { routeId: 'r', method: 'GET' }
  for (let i = 0; i < 3; i++) {
    shield.admit(ctx)
    const lease = await shield.enter(ctx)
    t.equal(shield.limiter.inflight, 1)
    lease.finish(e500())
    lease.finish()
    t.equal(shield.limiter.inflight, 0, 'released once')
  }
  t.equal(protection.breakers.state('legacy'), 'open')
  t.throws(() => shield.admit(ctx), { code: 'GW_ERR_BREAKER_OPEN' })
})

t.test('half-open: exactly one of 10 concurrent leases is the probe; its success closes', async t => {
  const protection = new Protection({ maxConcurrency: 20, breaker, rateLimit: { perSecond: 1000, burst: 1000 } })
  t.teardown(() => protection.close())
  const shield = protection.legacy
  const ctx = { routeId: 'r', method: 'GET' }
  for (let i = 0; i < 3; i++) (await shield.enter(ctx)).finish(e500())
  for (let i = 0; i < 100 && protection.breakers.state('legacy') !== 'half-open'; i++) await sleep(10)
  const results = await Promise.allSettled(Array.from({ length: 10 }, () => shield.enter(ctx)))
  const probes = results.filter(r => r.status === 'fulfilled')
  t.equal(probes.length, 1)
  t.ok(results.filter(r => r.status === 'rejected').every(r => (r as PromiseRejectedResult).reason.code === 'GW_ERR_BREAKER_OPEN'))
  t.equal(shield.limiter.inflight, 1, 'refused leases gave their permits back')
  ;(probes[0] as PromiseFulfilledResult<{ finish: () => void }>).value.finish()
  await sleep(0)
  t.equal(protection.breakers.state('legacy'), 'closed')
})

t.test('Lambda lease: a throttle outcome is not a failure; an abort is not either', async t => {
  const protection = new Protection({})
  t.teardown(() => protection.close())
  const shield = protection.lambda('Users-DEV', { maxConcurrency: 2, breaker })
  const ctx = { routeId: 'users.get', method: 'GET' }
  for (let i = 0; i < 10; i++) (await shield.enter(ctx)).finish(new LambdaThrottledError('Users-DEV'))
  for (let i = 0; i < 10; i++) (await shield.enter(ctx)).finish(Object.assign(new Error('gone'), { name: 'AbortError' }))
  t.equal(protection.breakers.state('lambda:Users-DEV'), 'closed')
  t.equal(shield.limiter.inflight, 0)
})
