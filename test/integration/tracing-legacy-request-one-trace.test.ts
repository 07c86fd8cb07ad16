// A legacy request is one trace at the OTLP receiver: the gateway server span, the wait for a
// legacy permit and the legacy HTTP call under it; legacy receives the call span's context, the
// request log line names the trace. A client's traceparent is continued; a malformed one is
// ignored — a trace of the gateway's own, and never echoed to legacy or to the client.
import t from 'tap'
import { CLIENT_PARENT, TRACE, only, parseTraceparent, startTracedWorld } from '../helpers/traced-world.js'

t.test('server span → permit wait → legacy call, one trace; legacy gets the call span', async t => {
  const w = await startTracedWorld(t)
  const res = await fetch(`${w.gw.url}/api/budgets/7`)
  t.equal(res.status, 200)
  t.equal(res.headers.get('traceparent'), null, 'no trace header on the answer')
  const sent = parseTraceparent(w.legacySeen[0]?.headers.traceparent)
  t.ok(sent, 'legacy received a traceparent')
  const spans = await w.traceOf(sent!.traceId, 3)
  const server = only(spans, 'GET /api/budgets/:projectId')
  const permit = only(spans, 'permit legacy')
  const call = only(spans, 'GET')
  t.equal(server.kind, 'SERVER')
  t.equal(server.parentSpanId, undefined, 'a new trace: the client sent none')
  t.match(server.attributes, {
    'http.request.method': 'GET',
    'url.path': '/api/budgets/7',
    'url.scheme': 'http',
    'http.route': '/api/budgets/:projectId',
    'http.response.status_code': 200,
    'gateway.route.id': 'budgets.get',
    'gateway.target': 'legacy'
  })
  t.equal(permit.parentSpanId, server.spanId)
  t.match(permit.attributes, { 'gateway.upstream': 'legacy', 'gateway.permit.outcome': 'granted' })
  t.equal(call.kind, 'CLIENT')
  t.equal(call.parentSpanId, server.spanId)
  t.match(call.attributes, { 'http.request.method': 'GET', 'server.address': '127.0.0.1', 'http.response.status_code': 200 })
  t.match(call.attributes['url.full'], /^http:\/\/127\.0\.0\.1:\d+\/api\/budgets\/7$/)
  t.equal(sent!.spanId, call.spanId, 'legacy continues the call span')
  t.equal(sent!.flags, '01')
  t.match(server.resource, { 'service.name': 'gateway-under-test' })
  const line = w.requestLines().find(l => l.route === 'budgets.get')
  t.equal(line?.traceId, server.traceId, 'the log line names the trace')
  t.equal(line?.spanId, server.spanId, 'and the server span')
  t.comment(`trace ${server.traceId}\n${w.receiver.format(server.traceId, ['gateway.route.id', 'gateway.target', 'http.response.status_code', 'gateway.permit.outcome'])}`)
})

t.test('a client\'s traceparent is continued, its tracestate passed on', async t => {
  const w = await startTracedWorld(t)
  await fetch(`${w.gw.url}/api/budgets/7`, { headers: { traceparent: `00-${TRACE}-${CLIENT_PARENT}-01`, tracestate: 'client=abc' } })
  const spans = await w.traceOf(TRACE, 3)
  const server = only(spans, 'GET /api/budgets/:projectId')
  t.equal(server.parentSpanId, CLIENT_PARENT, 'the server span is the client span\'s child')
  t.equal(server.traceState, 'client=abc')
  const sent = parseTraceparent(w.legacySeen[0]?.headers.traceparent)
  t.equal(sent?.traceId, TRACE)
  t.equal(sent?.spanId, only(spans, 'GET').spanId)
  t.equal(w.legacySeen[0]?.headers.tracestate, 'client=abc')
})

t.test('a malformed traceparent is ignored: a trace of our own, never echoed', async t => {
  const w = await startTracedWorld(t)
  const bad = `00-${TRACE}-${CLIENT_PARENT}-01-evil`
  const res = await fetch(`${w.gw.url}/api/budgets/7`, { headers: { traceparent: bad, tracestate: 'client=abc' } })
  t.equal(res.status, 200)
  const body = await res.text()
  t.notMatch(body + JSON.stringify([...res.headers]), /evil|4bf92f35|client=abc/, 'nothing of it in the answer')
  const seen = w.legacySeen[0]!.headers
  const sent = parseTraceparent(seen.traceparent)
  t.ok(sent, 'legacy got a well-formed traceparent')
  t.not(sent?.traceId, TRACE, 'of a new trace')
  t.equal(seen.tracestate, undefined, 'the tracestate of an ignored traceparent is dropped too')
  const spans = await w.traceOf(sent!.traceId, 3)
  t.equal(only(spans, 'GET /api/budgets/:projectId').parentSpanId, undefined)
})

t.test('trusted-proxies: a client outside server.trustedProxies starts a new trace', async t => {
  const w = await startTracedWorld(t, { extra: { server: { host: '127.0.0.1', port: 0, shutdownGraceMs: 3000, traceContext: 'trusted-proxies', trustedProxies: ['10.0.0.0/8'] } } })
  await fetch(`${w.gw.url}/api/budgets/7`, { headers: { traceparent: `00-${TRACE}-${CLIENT_PARENT}-01` } })
  const sent = parseTraceparent(w.legacySeen[0]?.headers.traceparent)
  t.not(sent?.traceId, TRACE)
})
