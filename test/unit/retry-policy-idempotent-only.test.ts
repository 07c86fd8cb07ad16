import t from 'tap'
import { backoffDelayMs, isRetriableError, shouldRetry } from '../../gateway/src/protection/retry-policy.js'
import { rejections } from '../../gateway/src/protection/rejection.js'

const on = { enabled: true, maxAttempts: 3, budgetPercent: 20, minRetryConcurrency: 3, baseDelayMs: 25, maxDelayMs: 250 }
const e502 = Object.assign(new Error('bad gateway'), { statusCode: 502 })

t.test('POST and PATCH are never retried; idempotent methods are', async t => {
  t.notOk(shouldRetry(on, 'POST', 1, e502))
  t.notOk(shouldRetry(on, 'patch', 1, e502))
  for (const m of ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']) t.ok(shouldRetry(on, m, 1, e502), m)
})

t.test('off by default semantics, attempt cap, and never after our own rejections, aborts or 4xx', async t => {
  t.notOk(shouldRetry({ ...on, enabled: false }, 'GET', 1, e502))
  t.notOk(shouldRetry(on, 'GET', 3, e502), 'maxAttempts 3 reached')
  t.notOk(isRetriableError(rejections.queueFull('legacy')))
  t.notOk(isRetriableError(rejections.breakerOpen('legacy', 5)))
  t.notOk(isRetriableError(rejections.rateLimited('client', 1, {})))
  t.notOk(isRetriableError(Object.assign(new Error('x'), { name: 'AbortError' })))
  t.notOk(isRetriableError(Object.assign(new Error('x'), { statusCode: 404 })))
  t.ok(isRetriableError(Object.assign(new Error('reset'), { code: 'ECONNRESET' })))
})

t.test('full jitter: uniform in [0, min(max, base * 2^(n-1))]', async t => {
  t.equal(backoffDelayMs(on, 1, () => 0), 0)
  t.equal(backoffDelayMs(on, 1, () => 0.999), 24)
  t.equal(backoffDelayMs(on, 3, () => 0.5), 50, '25 * 4 * 0.5')
  t.equal(backoffDelayMs(on, 10, () => 0.999), 249, 'capped at maxDelayMs')
})
