// The tracing setup against a real OTLP/HTTP receiver: what the SDK's exporter sends decodes to
// the spans started, parent and child, with the resource from OTEL_*; off, there is no exporter.
import t from 'tap'
import { SpanKind, trace } from '@opentelemetry/api'
import { readTracingEnv } from '../../gateway/src/tracing/otel-env.js'
import { contextWith, createTracing, TRACING_OFF } from '../../gateway/src/tracing/tracing.js'
import { startOtlpReceiver } from '../helpers/otlp-receiver.js'

t.test('spans reach the receiver as one trace, parent and child, with the resource', async t => {
  const receiver = await startOtlpReceiver(t)
  const { settings } = readTracingEnv({
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_SERVICE_NAME: 'gw-test',
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=test'
  })
  const tracing = createTracing(settings, { serviceVersion: '9.9.9' })
  t.teardown(() => tracing.shutdown())
  t.equal(tracing.enabled, true)
  const tracer = tracing.tracer!
  const server = tracer.startSpan('GET /api/users/:id', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET' } }, contextWith(undefined))
  const child = tracer.startSpan('GET', { kind: SpanKind.CLIENT }, trace.setSpan(contextWith(undefined), server))
  child.end()
  server.setAttribute('http.response.status_code', 200)
  server.end()
  await tracing.forceFlush()
  const spans = await receiver.waitFor(s => s.length === 2)
  const [root] = receiver.tree(server.spanContext().traceId)
  t.equal(root?.span.name, 'GET /api/users/:id')
  t.equal(root?.span.kind, 'SERVER')
  t.equal(root?.span.parentSpanId, undefined)
  t.same(root?.span.attributes, { 'http.request.method': 'GET', 'http.response.status_code': 200 })
  t.same(root?.children.map(c => [c.span.name, c.span.kind]), [['GET', 'CLIENT']])
  t.match(spans[0]?.resource, { 'service.name': 'gw-test', 'service.version': '9.9.9', 'deployment.environment': 'test' })
  t.equal(spans[0]?.scope, 'strangler-gateway')
  const seconds = parseInt(server.spanContext().traceId.slice(0, 8), 16)
  t.ok(Math.abs(seconds - Date.now() / 1000) < 60, 'trace id starts with the epoch second')
})

t.test('a remote parent is continued: same trace id, parent span id, its tracestate', async t => {
  const receiver = await startOtlpReceiver(t)
  const tracing = createTracing(readTracingEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces` }).settings)
  t.teardown(() => tracing.shutdown())
  const { TraceState } = await import('@opentelemetry/core')
  const parent = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1, isRemote: true, traceState: new TraceState('vendor=x') }
  tracing.tracer!.startSpan('server', { kind: SpanKind.SERVER }, contextWith(parent)).end()
  await tracing.forceFlush()
  const [span] = await receiver.waitFor(s => s.length === 1)
  t.equal(span?.traceId, parent.traceId)
  t.equal(span?.parentSpanId, parent.spanId)
  t.equal(span?.traceState, 'vendor=x')
})

t.test('the sampler from OTEL_TRACES_SAMPLER: always_off exports nothing', async t => {
  const receiver = await startOtlpReceiver(t)
  const tracing = createTracing(readTracingEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_TRACES_SAMPLER: 'always_off' }).settings)
  t.teardown(() => tracing.shutdown())
  const span = tracing.tracer!.startSpan('dropped', {}, contextWith(undefined))
  t.equal(span.isRecording(), false)
  span.end()
  await tracing.forceFlush()
  t.equal(receiver.requests, 0)
})

t.test('off: no tracer, no exporter, nothing sent', async t => {
  const receiver = await startOtlpReceiver(t)
  const tracing = createTracing(readTracingEnv({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }).settings)
  t.equal(tracing, TRACING_OFF)
  t.equal(tracing.tracer, undefined)
  await tracing.forceFlush()
  await tracing.shutdown()
  t.equal(receiver.requests, 0)
})
