// Shield.tryEnter: a lease without a promise when a permit is free and every breaker on the way
// is closed — the same lease as enter() (5xx outcomes open the breaker, permits come back, the
// hold keeps a permit) — and undefined, taking nothing, whenever enter() would have to wait or
// ask a breaker that is not closed.
import t from 'tap'
import { Protection } from '../../gateway/src/protection/protection.js'
import { ClientGone, clientGoneError } from '../../gateway/src/http/client-gone.js'

const breaker = { errorThresholdPercentage: 50, volumeThreshold: 3, resetTimeoutMs: 60_000, rollingCountTimeoutMs: 10_000, rollingCountBuckets: 10 }
const e500 = (): Error => Object.assign(new Error('upstream answered 500'), { statusCode: 500 })
const ctx = { routeId: 'r', method: 'GET' }

t.test('a free permit and closed breakers: the lease at once, with enter()\'s bookkeeping', async t => {
  const protection = new Protection({ maxConcurrency: 2, breaker })
  t.teardown(() => protection.close())
  const shield = protection.legacy
  for (let i = 0; i < 3; i++) {
    const lease = shield.tryEnter(ctx)
    t.ok(lease, `lease ${i + 1} without waiting`)
    t.equal(shield.limiter.inflight, 1)
    const end = lease?.hold()
    lease?.finish(e500())
    t.equal(shield.limiter.inflight, 1, 'held while the upstream call is under way')
    end?.()
    t.equal(shield.limiter.inflight, 0, 'released once the call ended')
  }
  await new Promise(resolve => setImmediate(resolve))
  t.equal(protection.breakers.state('legacy'), 'open', 'three 5xx outcomes opened the breaker, as with enter()')
  t.equal(shield.tryEnter(ctx), undefined, 'open breaker: no fast path')
  t.equal(shield.limiter.inflight, 0, 'and nothing taken')
  await t.rejects(shield.enter(ctx), { code: 'GW_ERR_BREAKER_OPEN' }, 'enter() reports the open breaker')
})

t.test('no free permit, a waiting queue, a client gone or a route breaker not closed: undefined, nothing taken', async t => {
  const protection = new Protection({ maxConcurrency: 1, breaker, queue: { maxSize: 4, maxWaitMs: 1000 } })
  t.teardown(() => protection.close())
  const shield = protection.legacy
  const first = shield.tryEnter(ctx)
  t.ok(first)
  t.equal(shield.tryEnter(ctx), undefined, 'cap reached')
  const queued = shield.enter(ctx)
  t.equal(shield.limiter.queued, 1)
  first?.finish()
  const second = await queued
  t.equal(shield.limiter.inflight, 1, 'the waiter got the permit, not a fast-path caller')
  second.finish()

  const gone = new ClientGone()
  gone.abort(clientGoneError())
  t.equal(shield.tryEnter({ ...ctx, clientGone: gone }), undefined, 'a client already gone takes no permit')

  const routeBreaker = { ...breaker, volumeThreshold: 1 }
  protection.breakers.forceOpen(shield.routeBreakerName('r'))
  t.equal(shield.tryEnter({ ...ctx, routeBreaker }), undefined, 'route breaker open')
  t.equal(shield.limiter.inflight, 0)
})

t.test('a limiter without tryAcquire (the shared semaphore) always takes enter()', async t => {
  const protection = new Protection({ maxConcurrency: 2, breaker })
  t.teardown(() => protection.close())
  const local = protection.legacy.limiter
  const shared = new Protection({ maxConcurrency: 2, breaker }, {
    legacyLimiter: {
      name: 'legacy',
      get inflight () { return local.inflight },
      get queued () { return local.queued },
      get limit () { return local.limit },
      get maxInflightSeen () { return local.maxInflightSeen },
      resetMaxInflightSeen: () => { local.resetMaxInflightSeen() },
      acquire: (o) => local.acquire(o),
      reconfigure: (n, q) => { local.reconfigure(n, q) }
    }
  })
  t.teardown(() => shared.close())
  t.equal(shared.legacy.tryEnter(ctx), undefined)
  const lease = await shared.legacy.enter(ctx)
  t.equal(local.inflight, 1)
  lease.finish()
})
