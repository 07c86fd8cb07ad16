// A Lambda request is one trace: the server span and the invoke (faas.* attributes, cold start
// and init duration on the first call, warm after); the event's headers carry the invoke span's
// traceparent — and, for a function with active tracing, its X-Ray form.
import t from 'tap'
import { only, parseTraceparent, startTracedWorld } from '../helpers/traced-world.js'

const route = (tracing?: string): unknown => ({
  id: 'users.get', methods: ['GET'], path: '/api/users/:id', target: 'lambda', lambda: { function: 'Echo-TEST', timeoutMs: 3000, maxConcurrency: 10, ...(tracing ? { tracing } : {}) }
})

async function call (url: string): Promise<{ headers: Record<string, string> }> {
  const res = await fetch(`${url}/api/users/3`)
  t.equal(res.status, 200)
  return await res.json() as { headers: Record<string, string> }
}

t.test('cold, then warm: server span → Lambda.Invoke with faas.coldstart', async t => {
  const w = await startTracedWorld(t, { routes: [route()] })
  const traces: string[] = []
  for (const expectCold of [true, false]) {
    const event = await call(w.gw.url)
    const sent = parseTraceparent(event.headers.traceparent)
    t.ok(sent, 'the event carries a traceparent')
    t.equal(event.headers['x-amzn-trace-id'], undefined, 'no X-Ray header without active tracing')
    const spans = await w.traceOf(sent!.traceId, 2)
    const server = only(spans, 'GET /api/users/:id')
    const invoke = only(spans, 'Lambda.Invoke Echo-TEST')
    t.equal(invoke.parentSpanId, server.spanId)
    t.equal(invoke.kind, 'CLIENT')
    t.equal(sent!.spanId, invoke.spanId, 'the function continues the invoke span')
    t.match(invoke.attributes, {
      'faas.invoked_name': 'Echo-TEST',
      'faas.invoked_provider': 'aws',
      'faas.invoked_region': 'eu-central-1',
      'rpc.system': 'aws-api',
      'rpc.method': 'Invoke',
      'faas.coldstart': expectCold
    })
    if (expectCold) t.ok((invoke.attributes['gateway.lambda.init_duration_ms'] as number) > 0, 'init duration on the cold start')
    else t.equal(invoke.attributes['gateway.lambda.init_duration_ms'], undefined, 'none when warm')
    t.match(server.attributes, { 'gateway.route.id': 'users.get', 'gateway.target': 'lambda', 'http.response.status_code': 200, 'gateway.rollout.percent': 100 })
    traces.push(server.traceId)
    t.comment(`${expectCold ? 'cold' : 'warm'}: trace ${server.traceId}\n${w.receiver.format(server.traceId, ['gateway.target', 'faas.coldstart', 'gateway.lambda.init_duration_ms'])}`)
  }
  t.not(traces[0], traces[1], 'two requests, two traces')
})

t.test('active tracing: the event also carries the X-Ray form of the invoke span', async t => {
  const w = await startTracedWorld(t, { routes: [route('Active')] })
  const event = await call(w.gw.url)
  const sent = parseTraceparent(event.headers.traceparent)!
  t.equal(event.headers['x-amzn-trace-id'], `Root=1-${sent.traceId.slice(0, 8)}-${sent.traceId.slice(8)};Parent=${sent.spanId};Sampled=1`)
  const seconds = parseInt(sent.traceId.slice(0, 8), 16)
  t.ok(Math.abs(seconds - Date.now() / 1000) < 60, 'the trace id starts with the epoch second, as X-Ray needs')
})
