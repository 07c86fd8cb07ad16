// A throttled Lambda on a `fallback: legacy` route moves a request WITH a body to legacy after the
// body was buffered for the invocation: legacy must receive exactly those bytes (a buffered Buffer
// handed to reply-from failed undici's content-length check: 502) and the client gets legacy's answer.
// Real local runtime (Slow-TEST, reserved concurrency 1: a second concurrent call is throttled).
import t from 'tap'
import { fileURLToPath } from 'node:url'
import { randomBytes } from 'node:crypto'
import type { GatewayConfig, RouteConfig } from '../../gateway/src/config/schema.js'
import { echoHandler, startOrigin, startTestGateway, testConfig } from '../helpers/gateway.js'

async function until (condition: () => Promise<boolean>): Promise<void> {
  while (!await condition()) await new Promise(resolve => setTimeout(resolve, 20))
}
import { startTestLambdaRuntime } from '../helpers/lambda-runtime.js'

const template = fileURLToPath(new URL('../fixtures/gateway-lambdas/template.yaml', import.meta.url))

t.test('a PUT throttled by Lambda falls back to legacy with the exact body bytes', async t => {
  const runtime = await startTestLambdaRuntime(t, { templatePath: template })
  const origin = await startOrigin(t, echoHandler())
  const route = {
    id: 'slow.put',
    methods: ['GET', 'PUT'],
    path: '/slow',
    target: 'lambda',
    fallback: 'legacy',
    lambda: { function: 'Slow-TEST', timeoutMs: 5000 }
  } as unknown as RouteConfig
  const gw = await startTestGateway(t, testConfig({
    legacy: { url: origin.url } as unknown as Partial<GatewayConfig['legacy']>,
    lambda: { endpoint: runtime.url },
    routes: [route]
  }))

  // Occupy the function's one reserved slot (invoked: in flight at the gateway), then send the
  // PUTs while it sleeps.
  const busy = fetch(`${gw.url}/slow?ms=3000`)
  await until(async () => /gateway_upstream_inflight\{upstream="lambda:Slow-TEST"\} 1/.test(await (await fetch(`${gw.adminUrl}/metrics`)).text()))
  await new Promise(resolve => setTimeout(resolve, 100)) // the invoke reaches the runtime
  const cases: Array<[string, Buffer]> = [
    ['application/octet-stream', randomBytes(1)],
    ['application/octet-stream', randomBytes(200_000)],
    ['application/json', Buffer.from(JSON.stringify({ name: 'Zoë', note: 'ünïcode ✓', n: [1, 2, 3] }))],
    ['text/plain; charset=utf-8', Buffer.from('plain ✓ text')]
  ]
  for (const [type, body] of cases) {
    const size = `${type} ${body.length}`
    const res = await fetch(`${gw.url}/slow?ms=1`, { method: 'PUT', body, headers: { 'content-type': type } })
    const text = await res.text()
    t.equal(res.status, 200, `size ${size}: legacy's answer, not a 502 (${text.slice(0, 200)})`)
    t.equal(res.headers.get('x-gateway-fallback'), 'throttled', `size ${size}: marked as a fallback`)
    const echoed = JSON.parse(text) as { method: string, url: string, headers: Record<string, string>, body: string }
    t.equal(echoed.method, 'PUT')
    t.equal(echoed.url, '/slow?ms=1')
    t.ok(Buffer.from(echoed.body, 'base64').equals(body), `size ${size}: legacy received the exact bytes`)
    t.equal(echoed.headers['content-length'], String(body.length), `size ${size}: content-length matches`)
  }
  t.equal((await busy).status, 200, 'the occupying call itself was served by Lambda')
  t.equal(origin.requests(), cases.length, 'legacy got each fallback once')
})
