// enter() with a route breaker half-open and its probe out: the refusal comes after the permit
// was taken, so the permit goes back and the rejection is the route breaker's breakerOpen,
// reported once; the upstream breaker stays closed.
import t from 'tap'
import { Protection } from '../../gateway/src/protection/protection.js'
import type { RejectionReason } from '../../gateway/src/protection/rejection.js'

const breaker = { errorThresholdPercentage: 50, volumeThreshold: 1, resetTimeoutMs: 60_000, rollingCountTimeoutMs: 10_000, rollingCountBuckets: 10 }
const routeBreaker = { ...breaker, resetTimeoutMs: 20 }
const e500 = (): Error => Object.assign(new Error('upstream answered 500'), { statusCode: 500 })

t.test('route breaker half-open, probe out: permit back, breakerOpen of the route reported once', async t => {
  const rejected: RejectionReason[] = []
  const protection = new Protection({ maxConcurrency: 4, breaker: { ...breaker, volumeThreshold: 100 } }, { hooks: { onReject: (_route, reason) => rejected.push(reason) } })
  t.teardown(() => protection.close())
  const shield = protection.legacy
  const ctx = { routeId: 'r', method: 'GET', routeBreaker }
  const routeName = shield.routeBreakerName('r')
  ;(await shield.enter(ctx)).finish(e500())
  t.equal(protection.breakers.state(routeName), 'open')
  for (let i = 0; i < 100 && protection.breakers.state(routeName) !== 'half-open'; i++) await new Promise(resolve => setTimeout(resolve, 10))
  t.equal(protection.breakers.state(routeName), 'half-open')

  const probe = await shield.enter(ctx)
  await t.rejects(shield.enter(ctx), { code: 'GW_ERR_BREAKER_OPEN', message: `circuit breaker ${routeName} is open` })
  t.equal(shield.limiter.inflight, 1, 'only the probe holds a permit')
  t.same(rejected, ['breaker_open'])
  t.equal(protection.breakers.state('legacy'), 'closed')
  probe.finish()
  t.equal(protection.breakers.state(routeName), 'closed', 'the probe\'s success closed the route breaker')
  t.equal(shield.limiter.inflight, 0)
})
