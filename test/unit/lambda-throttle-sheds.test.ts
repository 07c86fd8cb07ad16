import t from 'tap'
import { LambdaThrottledError, LambdaFunctionError } from '../../gateway/src/errors.js'
import { Protection } from '../../gateway/src/protection/protection.js'
import { fallbackReason } from '../../gateway/src/protection/fallback.js'
import { rejections } from '../../gateway/src/protection/rejection.js'

t.test('a Lambda throttle becomes a throttled 503 with Retry-After and never opens the breaker', async t => {
  const rejects: string[] = []
  const states: Array<[string, number]> = []
  const protection = new Protection({}, { hooks: { onReject: (r, why) => rejects.push(`${r}:${why}`), onBreakerState: (b, v) => states.push([b, v]) } })
  t.teardown(() => protection.close())
  const shield = protection.lambda('Users-DEV', { maxConcurrency: 2, breaker: { volumeThreshold: 2, errorThresholdPercentage: 10, resetTimeoutMs: 60_000, rollingCountTimeoutMs: 10_000, rollingCountBuckets: 10 } })
  t.equal(protection.lambda('Users-DEV'), shield, 'one shield per function')
  const throttle = async () => { throw new LambdaThrottledError('Users-DEV') }
  const sdkThrottle = async () => { throw Object.assign(new Error('Rate Exceeded.'), { name: 'TooManyRequestsException' }) }
  for (let i = 0; i < 10; i++) {
    await t.rejects(shield.run({ routeId: 'users.get', method: 'GET' }, i % 2 ? throttle : sdkThrottle), {
      message: /throttled|Rate Exceeded/, statusCode: 503, reason: 'throttled', retryAfterSeconds: 1, headers: { 'retry-after': '1' }
    })
  }
  t.equal(protection.breakers.state('lambda:Users-DEV'), 'closed')
  t.equal(rejects.length, 10)
  t.ok(rejects.every(r => r === 'users.get:throttled'))
  t.same(states, [['legacy', 0], ['lambda:Users-DEV', 0]], 'gauges initialised at 0')
  await t.rejects(shield.run({ routeId: 'users.get', method: 'GET' }, async () => { throw new LambdaFunctionError('Users-DEV') }), { code: 'GW_ERR_LAMBDA_FUNCTION_ERROR', statusCode: 502 })
})

t.test('fallbackReason: fallback: legacy, Lambda-side rejections, idempotent methods unless listed', async t => {
  const route = { fallback: 'legacy' as const }
  const open = rejections.breakerOpen('lambda:Users-DEV', 5)
  t.equal(fallbackReason(route, 'GET', open), 'breaker_open')
  t.equal(fallbackReason(route, 'get', open), 'breaker_open')
  t.equal(fallbackReason(route, 'POST', open), null, 'POST not by default')
  t.equal(fallbackReason({ fallback: 'legacy', fallbackMethods: ['GET', 'POST'] }, 'POST', open), 'breaker_open', 'unless listed')
  t.equal(fallbackReason({ fallback: 'none' }, 'GET', open), null)
  t.equal(fallbackReason({}, 'GET', open), null)
  t.equal(fallbackReason(route, 'GET', rejections.rateLimited('client', 1, {})), null, 'the caller\'s own limit is not a reason')
  t.equal(fallbackReason(route, 'GET', new LambdaFunctionError('Users-DEV')), null, 'a real function error is not either')
  t.equal(fallbackReason(route, 'GET', rejections.queueTimeout('lambda:Users-DEV', 100)), 'queue_timeout')
})
