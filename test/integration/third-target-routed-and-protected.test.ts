// A third target kind is one file plus its schema fragment (test/fixtures/targets/http-service-
// target.ts), registered only here: the gateway routes to it by name, forwards what every target
// forwards, counts it under its own target label, and protects it through the same pipeline
// (a full service is shed with 503 problem+json + Retry-After, the permit released after).
import t from 'tap'
import { Value } from '@sinclair/typebox/value'
import type { RouteConfig } from '../../gateway/src/config/schema.js'
import { build } from '../../gateway/src/app.js'
import { httpServiceTarget, ServiceRouteSchema } from '../fixtures/targets/http-service-target.js'
import { startOrigin, startTestGateway, testConfig } from '../helpers/gateway.js'

function serviceRoute (url: string): RouteConfig {
  const service = { url, maxConcurrency: 1 }
  if (!Value.Check(ServiceRouteSchema, service)) throw new Error('the test route must match the fragment')
  return { id: 'orders', methods: ['GET'], path: '/orders/*', target: 'service', service } as unknown as RouteConfig
}

t.test('a route to the registered service target is forwarded there and counted under its own target label', async t => {
  const seen: Array<{ url: string | undefined, requestId: unknown }> = []
  const origin = await startOrigin(t, (req, res) => {
    seen.push({ url: req.url, requestId: req.headers['x-request-id'] })
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ from: 'service', url: req.url }))
  })
  const gw = await startTestGateway(t, testConfig({ routes: [serviceRoute(origin.url)] }), { targets: [httpServiceTarget()] })
  const res = await fetch(`${gw.url}/orders/42?x=1`)
  t.equal(res.status, 200)
  t.same(await res.json(), { from: 'service', url: '/orders/42?x=1' })
  t.equal(res.headers.get('x-gateway-target'), 'service')
  t.equal(res.headers.get('x-gateway-route'), 'orders')
  t.equal(seen[0]?.requestId, res.headers.get('x-request-id'), 'the forward context (request id header) reached the service')
  const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text()
  t.match(metrics, /gateway_requests_total\{[^}]*route="orders"[^}]*target="service"[^}]*\} 1/)
  // Registered beside the built-in targets, not instead of them.
  t.equal(gw.app.context.targets.names().join(','), 'legacy,lambda,service')
})

t.test('the service target is protected by the same pipeline: a full service sheds 503 with Retry-After', async t => {
  let release: () => void = () => {}
  const held = new Promise<void>(resolve => { release = resolve })
  const origin = await startOrigin(t, (_req, res) => {
    held.then(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('done'), () => {})
  })
  const gw = await startTestGateway(t, testConfig({ routes: [serviceRoute(origin.url)] }), { targets: [httpServiceTarget()] })
  const first = fetch(`${gw.url}/orders/1`)
  await t.resolves(waitFor(() => origin.requests() === 1), 'the first call reached the service')
  const second = await fetch(`${gw.url}/orders/2`)
  t.equal(second.status, 503)
  t.equal(second.headers.get('content-type'), 'application/problem+json')
  t.equal(second.headers.get('retry-after'), '1')
  t.match(await second.json(), { code: 'GW_ERR_CONCURRENCY_LIMIT' })
  t.equal(origin.requests(), 1, 'the shed call never reached the service')
  release()
  t.equal((await first).status, 200)
  const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text()
  t.match(metrics, /gateway_rejections_total\{[^}]*route="orders"[^}]*reason="concurrency"[^}]*\} 1/)
  // The permit was released: the next call is served.
  t.equal((await fetch(`${gw.url}/orders/3`)).status, 200)
})

t.test('a route naming a target nobody registered is refused at build with GW_ERR_CONFIG_INVALID', async t => {
  const config = testConfig({ routes: [serviceRoute('http://127.0.0.1:9')] })
  await t.rejects(build(config, { processMetrics: false }), { code: 'GW_ERR_CONFIG_INVALID', message: /routes\[0\]\.target: no target named 'service'/ })
})

async function waitFor (condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise(resolve => setTimeout(resolve, 10))
  if (!condition()) throw new Error('condition not met within 2 s')
}
