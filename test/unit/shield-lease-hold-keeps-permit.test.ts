// ShieldLease.hold(): a permit under an upstream call is released only when the call ended,
// even when the lease was finished first (the client hung up); the breaker then gets what the
// upstream call ended with rather than the client's abort.
import t from 'tap'
import { Protection } from '../../gateway/src/protection/protection.js'

const breaker = { errorThresholdPercentage: 50, volumeThreshold: 3, resetTimeoutMs: 60_000, rollingCountTimeoutMs: 10_000, rollingCountBuckets: 10 }
const clientGone = (): Error => Object.assign(new Error('client closed the connection'), { name: 'AbortError' })
const e503 = (): Error => Object.assign(new Error('upstream answered 503'), { statusCode: 503 })
const ctx = { routeId: 'r', method: 'GET' }
interface Tap { teardown: (fn: () => unknown) => void }

function legacy (t: Tap, maxConcurrency = 1): Protection {
  const protection = new Protection({ maxConcurrency, queue: { maxSize: 4, maxWaitMs: 1000 }, breaker, rateLimit: { perSecond: 1000, burst: 1000 } })
  t.teardown(() => protection.close())
  return protection
}

t.test('a client gone during the call: the permit stays taken until the call ended', async t => {
  const shield = legacy(t).legacy
  const lease = await shield.enter(ctx)
  const end = lease.hold()
  lease.finish(clientGone())
  t.equal(shield.limiter.inflight, 1, 'still held after finish')
  let next = false
  const waiting = shield.enter(ctx).then(l => { next = true; return l })
  await new Promise(resolve => setImmediate(resolve))
  t.equal(next, false, 'the next request waits for the permit')
  end()
  const second = await waiting
  t.equal(shield.limiter.inflight, 1, 'handed to the next request')
  end()
  second.finish()
  t.equal(shield.limiter.inflight, 0, 'a second end() changes nothing; released once')
})

t.test('without a hold, or after the call ended, finish releases at once', async t => {
  const shield = legacy(t).legacy
  const plain = await shield.enter(ctx)
  plain.finish(clientGone())
  t.equal(shield.limiter.inflight, 0, 'no hold: released by finish')
  const held = await shield.enter(ctx)
  held.hold()()
  t.equal(shield.limiter.inflight, 1, 'ended hold: the lease is still open')
  held.finish()
  t.equal(shield.limiter.inflight, 0, 'released by finish')
  const noop = held.hold()
  t.equal(shield.limiter.inflight, 0, 'a hold on a finished lease takes nothing')
  noop()
})

t.test('two holds: released after the last one ended', async t => {
  const shield = legacy(t).legacy
  const lease = await shield.enter(ctx)
  const a = lease.hold()
  const b = lease.hold()
  lease.finish()
  a()
  t.equal(shield.limiter.inflight, 1, 'one call still under way')
  b()
  t.equal(shield.limiter.inflight, 0, 'both ended')
})

t.test("the upstream's failure, not the client's abort, goes to the breaker", async t => {
  const protection = legacy(t, 4)
  const shield = protection.legacy
  for (let i = 0; i < 3; i++) {
    const lease = await shield.enter(ctx)
    const end = lease.hold()
    lease.finish(clientGone())
    end(e503())
  }
  await new Promise(resolve => setImmediate(resolve))
  t.equal(protection.breakers.state('legacy'), 'open', '3 upstream 503s after the clients left open it')

  const calm = legacy(t, 4)
  for (let i = 0; i < 3; i++) {
    const lease = await calm.legacy.enter(ctx)
    const end = lease.hold()
    lease.finish(clientGone())
    end()
  }
  await new Promise(resolve => setImmediate(resolve))
  t.equal(calm.breakers.state('legacy'), 'closed', 'aborts alone are no failures')
})

t.test("a finish with a real outcome keeps it over the upstream's", async t => {
  const protection = legacy(t, 4)
  for (let i = 0; i < 3; i++) {
    const lease = await protection.legacy.enter(ctx)
    const end = lease.hold()
    lease.finish()
    end(e503())
  }
  await new Promise(resolve => setImmediate(resolve))
  t.equal(protection.breakers.state('legacy'), 'closed', 'success as reported by finish()')
})
