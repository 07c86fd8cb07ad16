// A real OTLP/HTTP trace receiver on an ephemeral port: it takes what the SDK's exporter
// (@opentelemetry/exporter-trace-otlp-http) actually sends — POST /v1/traces, JSON
// ExportTraceServiceRequest, gzip or not — decodes it per the OTLP JSON mapping (ids as hex,
// enums as numbers, 64-bit ints as strings) and gives the spans back, by trace and as a tree.
// The decoding is deploy/otlp-viewer/otlp-json.mjs, the trace viewer's own. Closed by t.teardown.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'
import type { Test } from 'tap'
import { decodeExportRequest, formatTree, treeOf } from '../../deploy/otlp-viewer/otlp-json.mjs'
import type { ReceivedSpan, SpanNode } from '../../deploy/otlp-viewer/otlp-json.mjs'

export type { ReceivedLink, ReceivedSpan, SpanNode } from '../../deploy/otlp-viewer/otlp-json.mjs'
export { decodeExportRequest, formatTree, treeOf }

export interface OtlpReceiver {
  /** Base URL, for OTEL_EXPORTER_OTLP_ENDPOINT (the exporter appends /v1/traces). */
  url: string
  /** Export requests received (any path). */
  readonly requests: number
  spans: () => ReceivedSpan[]
  /** Waits until `predicate(spans)` holds (polling what arrived), or fails after timeoutMs. */
  waitFor: (predicate: (spans: ReceivedSpan[]) => boolean, timeoutMs?: number) => Promise<ReceivedSpan[]>
  /** The spans of one trace as trees (roots first by start time; a span whose parent never arrived is a root). */
  tree: (traceId: string) => SpanNode[]
  /** The trees of `tree(traceId)` as indented text: `name [kind] key=value …` per span. */
  format: (traceId: string, keys?: readonly string[]) => string
  clear: () => void
}

export async function startOtlpReceiver (t: Test): Promise<OtlpReceiver> {
  let received: ReceivedSpan[] = []
  let requests = 0
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      requests++
      try {
        if (req.method !== 'POST' || req.url !== '/v1/traces') throw new Error(`unexpected ${req.method} ${req.url}`)
        if (!String(req.headers['content-type']).startsWith('application/json')) throw new Error(`unexpected content-type ${req.headers['content-type']}`)
        let raw = Buffer.concat(chunks)
        if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw)
        received.push(...decodeExportRequest(JSON.parse(raw.toString('utf8'))))
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      } catch (err) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ message: (err as Error).message }))
      }
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) }))
  const { port } = server.address() as AddressInfo
  const byTrace = (traceId: string): ReceivedSpan[] => received.filter(s => s.traceId === traceId)
  return {
    url: `http://127.0.0.1:${port}`,
    get requests () { return requests },
    spans: () => [...received],
    async waitFor (predicate, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        if (predicate(received)) return [...received]
        if (Date.now() > deadline) throw new Error(`otlp receiver: condition not met within ${timeoutMs} ms; got ${received.length} spans: ${received.map(s => s.name).join(', ')}`)
        await new Promise(resolve => setTimeout(resolve, 20))
      }
    },
    tree: (traceId) => treeOf(byTrace(traceId)),
    format: (traceId, keys) => formatTree(treeOf(byTrace(traceId)), keys),
    clear: () => { received = [] }
  }
}
