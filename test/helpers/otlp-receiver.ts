// A real OTLP/HTTP trace receiver on an ephemeral port: it takes what the SDK's exporter
// (@opentelemetry/exporter-trace-otlp-http) actually sends — POST /v1/traces, JSON
// ExportTraceServiceRequest, gzip or not — decodes it per the OTLP JSON mapping (ids as hex,
// enums as numbers, 64-bit ints as strings) and gives the spans back, by trace and as a tree.
// Closed by t.teardown.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'
import type { Test } from 'tap'

export const SPAN_KINDS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const

export interface ReceivedLink { traceId: string, spanId: string, attributes: Record<string, unknown> }

export interface ReceivedSpan {
  traceId: string
  spanId: string
  /** undefined for a root span. */
  parentSpanId: string | undefined
  name: string
  kind: typeof SPAN_KINDS[number]
  startNs: bigint
  endNs: bigint
  attributes: Record<string, unknown>
  links: ReceivedLink[]
  events: Array<{ name: string, attributes: Record<string, unknown> }>
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  status: { code: number, message?: string }
  traceState: string | undefined
  resource: Record<string, unknown>
  scope: string
}

export interface SpanNode { span: ReceivedSpan, children: SpanNode[] }

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

type AnyValue = { stringValue?: string, boolValue?: boolean, intValue?: string | number, doubleValue?: number, arrayValue?: { values?: AnyValue[] }, kvlistValue?: { values?: KeyValue[] }, bytesValue?: string }
interface KeyValue { key: string, value?: AnyValue }

function valueOf (v: AnyValue | undefined): unknown {
  if (v === undefined) return undefined
  if (v.stringValue !== undefined) return v.stringValue
  if (v.boolValue !== undefined) return v.boolValue
  if (v.intValue !== undefined) return Number(v.intValue)
  if (v.doubleValue !== undefined) return v.doubleValue
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(valueOf)
  if (v.kvlistValue !== undefined) return attributesOf(v.kvlistValue.values)
  return v.bytesValue
}

function attributesOf (list: KeyValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const kv of list ?? []) out[kv.key] = valueOf(kv.value)
  return out
}

/** One ExportTraceServiceRequest (JSON) → spans. Throws on a body that is not one. */
export function decodeExportRequest (body: unknown): ReceivedSpan[] {
  const out: ReceivedSpan[] = []
  const resourceSpans = (body as { resourceSpans?: unknown }).resourceSpans
  if (!Array.isArray(resourceSpans)) throw new Error('not an ExportTraceServiceRequest: no resourceSpans')
  for (const rs of resourceSpans) {
    const resource = attributesOf(rs.resource?.attributes)
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        if (!/^[0-9a-f]{32}$/.test(s.traceId) || !/^[0-9a-f]{16}$/.test(s.spanId)) throw new Error(`span ids not hex: ${s.traceId} ${s.spanId}`)
        out.push({
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId ? s.parentSpanId : undefined,
          name: s.name,
          kind: SPAN_KINDS[s.kind ?? 0] ?? 'UNSPECIFIED',
          startNs: BigInt(s.startTimeUnixNano),
          endNs: BigInt(s.endTimeUnixNano),
          attributes: attributesOf(s.attributes),
          links: (s.links ?? []).map((l: { traceId: string, spanId: string, attributes?: KeyValue[] }) => ({ traceId: l.traceId, spanId: l.spanId, attributes: attributesOf(l.attributes) })),
          events: (s.events ?? []).map((e: { name: string, attributes?: KeyValue[] }) => ({ name: e.name, attributes: attributesOf(e.attributes) })),
          status: { code: s.status?.code ?? 0, ...(s.status?.message ? { message: s.status.message } : {}) },
          traceState: s.traceState ? s.traceState : undefined,
          resource,
          scope: ss.scope?.name ?? ''
        })
      }
    }
  }
  return out
}

export function treeOf (spans: readonly ReceivedSpan[]): SpanNode[] {
  const nodes = new Map(spans.map(s => [s.spanId, { span: s, children: [] as SpanNode[] }]))
  const roots: SpanNode[] = []
  for (const node of nodes.values()) {
    const parent = node.span.parentSpanId === undefined ? undefined : nodes.get(node.span.parentSpanId)
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  const order = (list: SpanNode[]): void => {
    list.sort((a, b) => (a.span.startNs < b.span.startNs ? -1 : a.span.startNs > b.span.startNs ? 1 : 0))
    for (const n of list) order(n.children)
  }
  order(roots)
  return roots
}

export function formatTree (roots: readonly SpanNode[], keys?: readonly string[]): string {
  const lines: string[] = []
  const walk = (node: SpanNode, depth: number): void => {
    const s = node.span
    const ms = Number(s.endNs - s.startNs) / 1e6
    const attrs = Object.entries(s.attributes)
      .filter(([k]) => keys === undefined || keys.includes(k))
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    const links = s.links.map(l => `link→${l.traceId.slice(0, 8)}…/${l.spanId}`)
    lines.push(`${'  '.repeat(depth)}${s.name} [${s.kind}] ${ms.toFixed(1)} ms${attrs.length ? ' ' + attrs.join(' ') : ''}${links.length ? ' ' + links.join(' ') : ''}`)
    for (const child of node.children) walk(child, depth + 1)
  }
  for (const root of roots) walk(root, 0)
  return lines.join('\n')
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
