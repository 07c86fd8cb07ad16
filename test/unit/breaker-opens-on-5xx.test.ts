import t from 'tap'
import { BreakerRegistry } from '../../gateway/src/protection/breaker-registry.js'

const fail5xx = () => Promise.reject(Object.assign(new Error('upstream 500'), { statusCode: 502 }))
const ok = () => Promise.resolve('ok')

t.test('does not open below the volume threshold, even at 100% errors', async t => {
  const registry = new BreakerRegistry()
  t.teardown(() => registry.close())
  const opts = { volumeThreshold: 10, errorThresholdPercentage: 50, resetTimeoutMs: 60_000 }
  for (let i = 0; i < 9; i++) await t.rejects(registry.run('legacy', fail5xx, opts), { message: 'upstream 500', statusCode: 502 })
  t.equal(registry.state('legacy'), 'closed', '9 calls < volume 10')
  await t.rejects(registry.run('legacy', fail5xx, opts))
  t.equal(registry.state('legacy'), 'open', 'the 10th failure opens it')
  await t.rejects(registry.run('legacy', ok, opts), { code: 'GW_ERR_BREAKER_OPEN', statusCode: 503, reason: 'breaker_open' })
  const info = registry.list()[0]
  t.match(info, { name: 'legacy', state: 'open', stateValue: 2, opens: 1, stats: { failures: 10, rejects: 1 } })
  t.type(info?.lastChangeAt, 'string')
})

t.test('opens only when the error rate exceeds the threshold', async t => {
  const registry = new BreakerRegistry()
  t.teardown(() => registry.close())
  const opts = { volumeThreshold: 4, errorThresholdPercentage: 50, resetTimeoutMs: 60_000 }
  for (let i = 0; i < 10; i++) {
    await registry.run('legacy', ok, opts)
    await registry.run('legacy', fail5xx, opts).catch(() => {})
  }
  t.equal(registry.state('legacy'), 'closed', '50% is not above 50%')
  await registry.run('legacy', fail5xx, opts).catch(() => {})
  t.equal(registry.state('legacy'), 'open', '11/21 > 50%')
})

t.test('open breaker: Retry-After is the time left until the probe', async t => {
  let now = 0
  const registry = new BreakerRegistry({ now: () => now })
  t.teardown(() => registry.close())
  const opts = { volumeThreshold: 1, resetTimeoutMs: 5000 }
  await registry.run('legacy', fail5xx, opts).catch(() => {})
  now = 1200
  await t.rejects(registry.run('legacy', ok), { code: 'GW_ERR_BREAKER_OPEN', retryAfterSeconds: 4 })
  t.equal(registry.retryAfterSeconds('legacy'), 4)
})
