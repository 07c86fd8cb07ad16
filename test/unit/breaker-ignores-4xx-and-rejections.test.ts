import t from 'tap'
import { BreakerRegistry, isBreakerFailure } from '../../gateway/src/protection/breaker-registry.js'
import { rejections } from '../../gateway/src/protection/rejection.js'
import { LambdaThrottledError, LegacyTimeoutError } from '../../gateway/src/errors.js'
import { classifyLambdaError } from '../../gateway/src/protection/lambda-throttle.js'

t.test('4xx, shed, rate-limit, throttle and client aborts never open the breaker', async t => {
  const registry = new BreakerRegistry()
  t.teardown(() => registry.close())
  const opts = { volumeThreshold: 2, errorThresholdPercentage: 10, resetTimeoutMs: 60_000 }
  const abort = Object.assign(new Error('aborted'), { name: 'AbortError' })
  const neutral: unknown[] = [
    Object.assign(new Error('not found'), { statusCode: 404 }),
    Object.assign(new Error('conflict'), { statusCode: 409 }),
    rejections.queueFull('legacy'),
    rejections.queueTimeout('legacy', 250),
    rejections.rateLimited('client', 1, {}),
    classifyLambdaError(new LambdaThrottledError('Users-DEV')),
    abort
  ]
  for (let round = 0; round < 5; round++) {
    for (const err of neutral) await t.rejects(registry.run('legacy', () => Promise.reject(err), opts))
  }
  t.equal(registry.state('legacy'), 'closed')
  t.match(registry.list()[0]?.stats, { failures: 0 })
})

t.test('the failure test: 5xx, timeouts and network errors count', async t => {
  t.ok(isBreakerFailure(new LegacyTimeoutError(5000)))
  t.ok(isBreakerFailure(Object.assign(new Error('ECONNREFUSED'), { code: 'ECONNREFUSED' })))
  t.ok(isBreakerFailure(Object.assign(new Error('bad gateway'), { statusCode: 502 })))
  t.notOk(isBreakerFailure(Object.assign(new Error('bad request'), { statusCode: 400 })))
  t.notOk(isBreakerFailure(rejections.breakerOpen('legacy', 1)))
})
