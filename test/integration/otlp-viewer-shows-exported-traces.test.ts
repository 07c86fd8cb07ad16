// The observability profile's trace viewer (deploy/otlp-viewer/server.mjs) takes what the
// gateway's exporter sends and shows it as trees; docker-compose runs it only in that profile.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { SpanKind, trace } from '@opentelemetry/api'
import { startViewer } from '../../deploy/otlp-viewer/server.mjs'
import { readTracingEnv } from '../../gateway/src/tracing/otel-env.js'
import { contextWith, createTracing } from '../../gateway/src/tracing/tracing.js'

t.test('exported spans appear as a tree, newest trace first', async t => {
  const viewer = await startViewer({ host: '127.0.0.1', port: 0, maxTraces: 2 })
  t.teardown(() => viewer.close())
  const tracing = createTracing(readTracingEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: viewer.url }).settings)
  t.teardown(() => tracing.shutdown())
  const tracer = tracing.tracer!
  const ids: string[] = []
  for (const route of ['/a', '/b', '/c']) {
    const server = tracer.startSpan(`GET ${route}`, { kind: SpanKind.SERVER }, contextWith(undefined))
    tracer.startSpan('GET', { kind: SpanKind.CLIENT }, trace.setSpan(contextWith(undefined), server)).end()
    server.end()
    ids.push(server.spanContext().traceId)
  }
  await tracing.forceFlush()
  const list = await (await fetch(`${viewer.url}/api/traces`)).json() as Array<{ traceId: string, spans: number, tree: string }>
  t.same(list.map(x => x.traceId), [ids[2], ids[1]], 'the last two traces kept, newest first')
  t.equal(list[0]?.spans, 2)
  t.match(list[0]?.tree, /^GET \/c \[SERVER\] [\d.]+ ms\n {2}GET \[CLIENT\] [\d.]+ ms$/)
  const page = await (await fetch(`${viewer.url}/`)).text()
  t.match(page, new RegExp(`^trace ${ids[2]}\nGET /c \\[SERVER\\]`))
  t.equal((await fetch(`${viewer.url}/healthz`)).status, 200)
  const proto = await fetch(`${viewer.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array([1]) })
  t.equal(proto.status, 415, 'protobuf is refused with the setting to use')
})

t.test('compose: only in the observability profile, built locally, on the host loopback; the gateway reads OTEL_*', async t => {
  const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as { services: Record<string, { profiles?: string[], image?: string, build?: { context: string }, ports?: string[], environment?: Record<string, string> }> }
  const viewer = compose.services['otlp-viewer']!
  t.same(viewer.profiles, ['observability'])
  t.equal(viewer.image, undefined, 'no registry image')
  t.equal(viewer.build?.context, 'deploy/otlp-viewer')
  t.same(viewer.ports, ['127.0.0.1:4318:4318'])
  t.equal(compose.services.gateway?.environment?.OTEL_EXPORTER_OTLP_ENDPOINT, '$' + '{OTEL_EXPORTER_OTLP_ENDPOINT:-}', 'unset = tracing off')
})
