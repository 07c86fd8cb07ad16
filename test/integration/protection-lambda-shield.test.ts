// Lambda side through the real gateway + real @aws-sdk/client-lambda against the Invoke-API peer
// (test/fixtures/lambda-target; the local runtime stands in for it once it lands):
//  - throttles at reserved concurrency are 503 + Retry-After, never 502, and never open the breaker;
//  - the gateway-side cap (route lambda.maxConcurrency) keeps the function's in-flight at the cap;
//  - a failing function opens its breaker and `fallback: legacy` keeps GETs answered 200 by legacy.
import t from 'tap'
import type { Test } from 'tap'
import type { GatewayConfig, RouteConfig } from '../../gateway/src/config/schema.js'
import { startTestGateway, testConfig } from '../helpers/gateway.js'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'
import { startFakeInvokeApi } from '../fixtures/lambda-target/fake-invoke-api.js'
import type { FakeInvokeApi } from '../fixtures/lambda-target/fake-invoke-api.js'

const ok = { kind: 'result' as const, value: { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"from":"lambda"}' } }
const breaker = { errorThresholdPercentage: 50, volumeThreshold: 5, resetTimeoutMs: 60_000, rollingCountTimeoutMs: 10_000, rollingCountBuckets: 10 }

async function gatewayWith (t: Test, fake: FakeInvokeApi, lambda: Record<string, unknown>, fallback: 'legacy' | 'none') {
  const stub = await startTestLegacyStub(t, { latencyMs: 1 })
  const routes = [{
    id: 'users.list',
    methods: ['GET', 'POST'],
    path: '/api/users',
    target: 'lambda',
    fallback,
    lambda: { function: 'Users-DEV', timeoutMs: 3000, ...lambda }
  }] as unknown as RouteConfig[]
  const config = testConfig({
    legacy: { url: stub.url, rateLimit: { perSecond: 100_000, burst: 100_000 } } as unknown as Partial<GatewayConfig['legacy']>,
    lambda: { endpoint: fake.url } as Partial<GatewayConfig['lambda']>,
    routes
  })
  const gw = await startTestGateway(t, config)
  return { gw, stub }
}

t.test('throttles are shed as 503 + Retry-After (not 502) and never open the Lambda breaker', async t => {
  const fake = await startFakeInvokeApi({ 'Users-DEV': () => ({ kind: 'throttle', retryAfterSeconds: 2 }) })
  t.teardown(() => fake.close())
  const { gw } = await gatewayWith(t, fake, { maxConcurrency: 4, breaker }, 'none')
  for (let i = 0; i < 10; i++) {
    const res = await fetch(`${gw.url}/api/users`)
    t.equal(res.status, 503)
    t.equal(res.headers.get('retry-after'), '2')
    t.match(await res.json(), { code: 'GW_ERR_LAMBDA_THROTTLED' })
  }
  t.equal(gw.app.public.protection.breakers.state('lambda:Users-DEV'), 'closed')
  const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text()
  t.match(metrics, /gateway_rejections_total\{route="users.list",reason="throttled"\} 10/)
})

t.test('the gateway-side cap holds the function at its reserved concurrency under a burst', async t => {
  let maxInflight = 0
  // The callback runs on arrival, after `fake` is assigned.
  const fake: FakeInvokeApi = await startFakeInvokeApi({
    'Users-DEV': () => {
      maxInflight = Math.max(maxInflight, fake.count('Users-DEV') - fake.completed('Users-DEV'))
      return { ...ok, delayMs: 40 }
    }
  })
  t.teardown(() => fake.close())
  const { gw } = await gatewayWith(t, fake, { maxConcurrency: 3, queue: { maxSize: 100, maxWaitMs: 5000 }, breaker }, 'none')
  const statuses = await Promise.all(Array.from({ length: 30 }, async () => (await fetch(`${gw.url}/api/users`)).status))
  t.ok(statuses.every(s => s === 200), 'all queued and served')
  t.ok(maxInflight <= 3, `function in-flight ${maxInflight} <= reserved concurrency 3`)
  t.equal(fake.count('Users-DEV'), 30)
})

t.test('a failing function opens its breaker; fallback: legacy keeps GETs at 200 from legacy', async t => {
  const fake = await startFakeInvokeApi({ 'Users-DEV': () => ({ kind: 'error', errorType: 'Error', errorMessage: 'boom' }) })
  t.teardown(() => fake.close())
  const { gw, stub } = await gatewayWith(t, fake, { maxConcurrency: 4, breaker }, 'legacy')
  const first = []
  for (let i = 0; i < 5; i++) first.push((await fetch(`${gw.url}/api/users`)).status)
  t.same(first, [502, 502, 502, 502, 502], 'function errors until the volume threshold')
  t.equal(gw.app.public.protection.breakers.state('lambda:Users-DEV'), 'open')
  for (let i = 0; i < 10; i++) {
    const res = await fetch(`${gw.url}/api/users`)
    t.equal(res.status, 200)
    t.equal(res.headers.get('x-gateway-fallback'), 'breaker_open')
    t.equal(res.headers.get('x-gateway-target'), 'legacy')
    await res.arrayBuffer()
  }
  t.equal(fake.count('Users-DEV'), 5, 'the open breaker sent nothing more to the function')
  t.equal((await stub.stats()).received, 10, 'legacy answered the fallbacks')
})
