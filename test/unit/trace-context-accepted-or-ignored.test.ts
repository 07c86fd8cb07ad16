// Which incoming W3C trace context the gateway continues (server.traceContext), and that a
// malformed one is ignored: nothing of it is kept, so nothing of it can be forwarded or echoed.
import t from 'tap'
import { incomingTraceOf, traceHeadersOf, traceparentOf } from '../../gateway/src/tracing/trace-context.js'
import { xrayHeaderOf } from '../../gateway/src/tracing/xray-header.js'
import { TimeTraceIdGenerator } from '../../gateway/src/tracing/time-trace-ids.js'

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736'
const PARENT = '00f067aa0ba902b7'
const VALID = `00-${TRACE}-${PARENT}-01`

t.test('a valid traceparent is the remote parent; tracestate comes along', async t => {
  const got = incomingTraceOf({ traceparent: VALID, tracestate: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE' }, 'any', false)
  t.equal(got?.spanContext.traceId, TRACE)
  t.equal(got?.spanContext.spanId, PARENT)
  t.equal(got?.spanContext.traceFlags, 1)
  t.equal(got?.spanContext.isRemote, true)
  t.same(traceHeadersOf(got!.spanContext), { traceparent: VALID, tracestate: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE' })
  t.equal(traceparentOf({ ...got!.spanContext, traceFlags: 0 }), `00-${TRACE}-${PARENT}-00`)
})

t.test('policy: any, trusted-proxies (peer must be trusted), ignore', async t => {
  const headers = { traceparent: VALID }
  t.ok(incomingTraceOf(headers, 'any', false))
  t.ok(incomingTraceOf(headers, 'trusted-proxies', true))
  t.equal(incomingTraceOf(headers, 'trusted-proxies', false), undefined)
  t.equal(incomingTraceOf(headers, 'ignore', true), undefined)
})

t.test('malformed traceparents are ignored', async t => {
  const bad = [
    '', 'garbage', `00-${TRACE}-${PARENT}`, `00-${TRACE.toUpperCase()}-${PARENT}-01`,
    `00-${'0'.repeat(32)}-${PARENT}-01`, `00-${TRACE}-${'0'.repeat(16)}-01`, `ff-${TRACE}-${PARENT}-01`,
    `00-${TRACE}-${PARENT}-01-extra`, `0-${TRACE}-${PARENT}-01`, `00-${TRACE}x-${PARENT}-01`,
    `00-${TRACE}-${PARENT}-zz`, `${VALID}, ${VALID}`, `00-${TRACE}-${PARENT}-01\r\nx: y`
  ]
  for (const traceparent of bad) t.equal(incomingTraceOf({ traceparent, tracestate: 'a=b' }, 'any', true), undefined, JSON.stringify(traceparent))
  t.equal(incomingTraceOf({ traceparent: [VALID, VALID] }, 'any', true), undefined, 'two headers are ambiguous')
  t.equal(incomingTraceOf({ tracestate: 'a=b' }, 'any', true), undefined, 'tracestate alone means nothing')
})

t.test('a later version is read as version 00 and forwarded as 00', async t => {
  const got = incomingTraceOf({ traceparent: `01-${TRACE}-${PARENT}-03-what-comes-next` }, 'any', false)
  t.equal(traceparentOf(got!.spanContext), VALID, 'only the sampled flag is kept')
})

t.test('invalid tracestate members are dropped, an all-invalid tracestate is none', async t => {
  const some = incomingTraceOf({ traceparent: VALID, tracestate: 'ok=1,BAD KEY=2' }, 'any', false)
  t.equal(some?.spanContext.traceState?.serialize(), 'ok=1')
  const none = incomingTraceOf({ traceparent: VALID, tracestate: '===' }, 'any', false)
  t.equal(none?.spanContext.traceState, undefined)
  t.same(traceHeadersOf(none!.spanContext), { traceparent: VALID })
})

t.test('X-Ray header form of a span context', async t => {
  t.equal(xrayHeaderOf({ traceId: TRACE, spanId: PARENT, traceFlags: 1 }), `Root=1-4bf92f35-77b34da6a3ce929d0e0e4736;Parent=${PARENT};Sampled=1`)
  t.equal(xrayHeaderOf({ traceId: TRACE, spanId: PARENT, traceFlags: 0 }), `Root=1-4bf92f35-77b34da6a3ce929d0e0e4736;Parent=${PARENT};Sampled=0`)
})

t.test('the gateway\'s trace ids start with the epoch second (an X-Ray root), span ids are random', async t => {
  const ids = new TimeTraceIdGenerator(() => 1_733_300_000_123)
  const a = ids.generateTraceId()
  const b = ids.generateTraceId()
  t.match(a, /^[0-9a-f]{32}$/)
  t.equal(a.slice(0, 8), (1_733_300_000).toString(16))
  t.not(a, b)
  const spans = new Set(Array.from({ length: 1000 }, () => ids.generateSpanId()))
  t.equal(spans.size, 1000)
  for (const s of spans) t.match(s, /^[0-9a-f]{16}$/)
})
