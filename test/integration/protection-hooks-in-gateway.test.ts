// The hook plugin in the real gateway (build(): protection is part of the pipeline) in front of the real stub:
// a burst is capped and shed as problem+json with Retry-After and counted in the metrics, and a
// Lambda route with `fallback: legacy` keeps answering 200 from legacy while its breaker is open.
import t from 'tap'
import type { GatewayConfig, RouteConfig } from '../../gateway/src/config/schema.js'
import { startTestGateway, testConfig } from '../helpers/gateway.js'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'

const legacyProtection = {
  maxConcurrency: 4,
  queue: { maxSize: 8, maxWaitMs: 200 },
  rateLimit: { perSecond: 100_000, burst: 100_000 }
}

t.test('burst of 100 through the gateway: legacy <= 4 in flight, sheds are 503 problem+json, metrics count them', async t => {
  const stub = await startTestLegacyStub(t, { maxConcurrency: 32, latencyMs: 30 })
  const config = testConfig({ legacy: { url: stub.url, ...legacyProtection } as unknown as Partial<GatewayConfig['legacy']>, routes: [] })
  const gw = await startTestGateway(t, config)
  const responses = await Promise.all(Array.from({ length: 100 }, async () => {
    const res = await fetch(`${gw.url}/api/Users`)
    return { status: res.status, retryAfter: res.headers.get('retry-after'), type: res.headers.get('content-type'), body: await res.text() }
  }))
  const ok = responses.filter(r => r.status === 200).length
  const shed = responses.filter(r => r.status === 503)
  t.comment(`100 requests: ${ok} ok, ${shed.length} shed`)
  t.equal(ok + shed.length, 100, 'every request answered 200 or 503')
  t.ok(ok >= 4 && shed.length > 0)
  t.ok(shed.every(r => r.type === 'application/problem+json' && Number(r.retryAfter) >= 1), 'sheds carry Retry-After')
  t.ok(shed.every(r => /GW_ERR_SHED_QUEUE_(FULL|TIMEOUT)/.test(r.body)))
  const stats = await stub.stats()
  t.ok(stats.maxInflight <= 4, `legacy maxInflight ${stats.maxInflight} <= 4`)
  t.equal(gw.app.public.protection.legacy.limiter.inflight, 0, 'every permit released')
  const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text()
  t.match(metrics, /gateway_rejections_total\{route="default",reason="(concurrency|queue_timeout)"\} \d+/)
  t.match(metrics, /gateway_breaker_state\{breaker="legacy"\} 0/)
})

t.test('Lambda breaker open + fallback: legacy → GETs answered by legacy and marked; POST is not rerouted', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 1 })
  const routes = [
    { id: 'users.list', methods: ['GET', 'POST'], path: '/api/users', target: 'lambda', lambda: { function: 'Users-DEV', timeoutMs: 3000, maxConcurrency: 10 }, fallback: 'legacy' }
  ] as unknown as RouteConfig[]
  const config = testConfig({ legacy: { url: stub.url, ...legacyProtection } as unknown as Partial<GatewayConfig['legacy']>, routes })
  const gw = await startTestGateway(t, config)
  gw.app.public.protection.lambda('Users-DEV', { maxConcurrency: 10 })
  gw.app.public.protection.breakers.forceOpen('lambda:Users-DEV')

  for (let i = 0; i < 5; i++) {
    const res = await fetch(`${gw.url}/api/users`)
    t.equal(res.status, 200)
    t.equal(res.headers.get('x-gateway-target'), 'legacy')
    t.equal(res.headers.get('x-gateway-fallback'), 'breaker_open')
    t.ok(Array.isArray(await res.json()))
  }
  t.equal((await stub.stats()).received, 5, 'legacy served them')
  const post = await fetch(`${gw.url}/api/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  t.equal(post.status, 503)
  t.equal(post.headers.get('x-gateway-target'), 'lambda')
  t.match(await post.json(), { code: 'GW_ERR_BREAKER_OPEN' })
})
