// OTLP/HTTP JSON trace requests (ExportTraceServiceRequest, the OTLP JSON mapping: ids as hex,
// enums as numbers, 64-bit integers as strings) decoded into flat spans, and spans into trees.
// Plain JavaScript with no dependencies: the trace viewer image runs it as is, and the tests'
// OTLP receiver (test/helpers/otlp-receiver.ts) decodes what the SDK sends with the same code.

export const SPAN_KINDS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER']

function valueOf (v) {
  if (v === undefined || v === null) return undefined
  if (v.stringValue !== undefined) return v.stringValue
  if (v.boolValue !== undefined) return v.boolValue
  if (v.intValue !== undefined) return Number(v.intValue)
  if (v.doubleValue !== undefined) return v.doubleValue
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(valueOf)
  if (v.kvlistValue !== undefined) return attributesOf(v.kvlistValue.values)
  return v.bytesValue
}

function attributesOf (list) {
  const out = {}
  for (const kv of list ?? []) out[kv.key] = valueOf(kv.value)
  return out
}

const HEX32 = /^[0-9a-f]{32}$/
const HEX16 = /^[0-9a-f]{16}$/

/** One ExportTraceServiceRequest (parsed JSON) → spans. Throws on a body that is not one. */
export function decodeExportRequest (body) {
  const out = []
  const resourceSpans = body?.resourceSpans
  if (!Array.isArray(resourceSpans)) throw new Error('not an ExportTraceServiceRequest: no resourceSpans')
  for (const rs of resourceSpans) {
    const resource = attributesOf(rs.resource?.attributes)
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        if (!HEX32.test(s.traceId) || !HEX16.test(s.spanId)) throw new Error(`span ids not hex: ${s.traceId} ${s.spanId}`)
        out.push({
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId ? s.parentSpanId : undefined,
          name: s.name,
          kind: SPAN_KINDS[s.kind ?? 0] ?? 'UNSPECIFIED',
          startNs: BigInt(s.startTimeUnixNano),
          endNs: BigInt(s.endTimeUnixNano),
          attributes: attributesOf(s.attributes),
          links: (s.links ?? []).map(l => ({ traceId: l.traceId, spanId: l.spanId, attributes: attributesOf(l.attributes) })),
          events: (s.events ?? []).map(e => ({ name: e.name, attributes: attributesOf(e.attributes) })),
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

/** Spans (of one trace) → trees, roots and children by start time; a span whose parent is missing is a root. */
export function treeOf (spans) {
  const nodes = new Map(spans.map(s => [s.spanId, { span: s, children: [] }]))
  const roots = []
  for (const node of nodes.values()) {
    const parent = node.span.parentSpanId === undefined ? undefined : nodes.get(node.span.parentSpanId)
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  const order = (list) => {
    list.sort((a, b) => (a.span.startNs < b.span.startNs ? -1 : a.span.startNs > b.span.startNs ? 1 : 0))
    for (const n of list) order(n.children)
  }
  order(roots)
  return roots
}

/** Trees as indented text, one line a span: `name [KIND] 1.2 ms key=value … link→…`; `keys` picks attributes. */
export function formatTree (roots, keys) {
  const lines = []
  const walk = (node, depth) => {
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
