// Lambda failures through the gateway, end to end (real local runtime, real SDK): a function error
// is a 502 that does not leak the function's message, a throttle at reserved concurrency a 503
// with Retry-After, the gateway's invoke timeout a 504, and a body over Lambda's 6 MB limit a 413.
import t from 'tap'
import { fileURLToPath } from 'node:url'
import type { RouteConfig } from '../../gateway/src/config/schema.js'
import { startTestGateway, testConfig } from '../helpers/gateway.js'
import { startTestLambdaRuntime } from '../helpers/lambda-runtime.js'

const template = fileURLToPath(new URL('../fixtures/gateway-lambdas/template.yaml', import.meta.url))
const route = (id: string, path: string, fn: string, timeoutMs: number, methods = ['GET']): RouteConfig =>
  ({ id, methods, path, target: 'lambda', lambda: { function: fn, timeoutMs } }) as unknown as RouteConfig

t.test('function error, throttle, timeout and oversized body', async t => {
  const runtime = await startTestLambdaRuntime(t, { templatePath: template })
  const gw = await startTestGateway(t, testConfig({
    lambda: { endpoint: runtime.url },
    routes: [
      route('crash', '/crash', 'Crash-TEST', 3000),
      route('slow', '/slow', 'Slow-TEST', 3000),
      route('slow.short', '/slow-short', 'Slow-TEST', 300),
      route('echo', '/echo', 'Echo-TEST', 3000, ['POST'])
    ]
  }))

  const crash = await fetch(`${gw.url}/crash`)
  t.equal(crash.status, 502)
  t.equal(crash.headers.get('content-type'), 'application/problem+json')
  const crashBody = await crash.text()
  t.match(JSON.parse(crashBody), { status: 502, code: 'GW_ERR_LAMBDA_FUNCTION_ERROR' })
  t.notMatch(crashBody, /hunter2/, 'the function message is not returned')

  const [a, b] = await Promise.all([fetch(`${gw.url}/slow?ms=600`), fetch(`${gw.url}/slow?ms=600`)])
  const statuses = [a.status, b.status].sort()
  t.same(statuses, [200, 503], 'reserved concurrency 1: one runs, one is throttled')
  const throttled = a.status === 503 ? a : b
  t.match(await throttled.json(), { status: 503, code: 'GW_ERR_LAMBDA_THROTTLED' })
  t.match(throttled.headers.get('retry-after'), /^\d+$/, 'Retry-After on the throttle')

  const timedOut = await fetch(`${gw.url}/slow-short?ms=1500`)
  t.equal(timedOut.status, 504)
  t.match(await timedOut.json(), { status: 504, code: 'GW_ERR_LAMBDA_TIMEOUT' })

  const big = Buffer.alloc(6 * 1024 * 1024 + 1, 0x61)
  const tooLarge = await fetch(`${gw.url}/echo`, { method: 'POST', body: big, headers: { 'content-type': 'application/octet-stream' } })
  t.equal(tooLarge.status, 413)
  t.match(await tooLarge.json(), { status: 413 })
})
