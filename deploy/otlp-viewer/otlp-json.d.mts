// Types of otlp-json.mjs (plain JavaScript so the viewer image needs no build step).
export declare const SPAN_KINDS: readonly ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER']

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

export declare function decodeExportRequest (body: unknown): ReceivedSpan[]
export declare function treeOf (spans: readonly ReceivedSpan[]): SpanNode[]
export declare function formatTree (roots: readonly SpanNode[], keys?: readonly string[]): string
