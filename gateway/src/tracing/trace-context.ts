// W3C Trace Context (www.w3.org/TR/trace-context) at the gateway's edge, pure: which incoming
// `traceparent`/`tracestate` the gateway accepts, and the headers it sends on. A client's header
// is never passed on as written: an accepted one is re-serialised from its parsed parts (version
// 00, as the spec asks of a version-00 implementation), a malformed one is ignored (the request
// starts a new trace, or none when tracing is off) and never echoed to anyone.
import { TraceFlags } from '@opentelemetry/api'
import type { SpanContext } from '@opentelemetry/api'
import { parseTraceParent, TraceState } from '@opentelemetry/core'

/**
 * Whose trace context is continued (`server.traceContext`): `any` client; only peers in
 * `server.trustedProxies` (`trusted-proxies`); nobody (`ignore`: every request starts a trace).
 */
export const TRACE_CONTEXT_POLICIES = ['any', 'trusted-proxies', 'ignore'] as const
export type TraceContextPolicy = typeof TRACE_CONTEXT_POLICIES[number]

export const TRACEPARENT = 'traceparent'
export const TRACESTATE = 'tracestate'

/** An accepted incoming trace context: the remote parent of the gateway's server span. */
export interface IncomingTrace {
  readonly spanContext: SpanContext
}

function single (value: string | string[] | undefined): string | undefined {
  // Two traceparent headers are ambiguous: the spec says to treat that as invalid.
  if (Array.isArray(value)) return value.length === 1 ? value[0] : undefined
  return value
}

/** The incoming trace context, if present, well-formed and from a peer the policy accepts. */
export function incomingTraceOf (
  headers: Readonly<Record<string, string | string[] | undefined>>,
  policy: TraceContextPolicy,
  peerTrusted: boolean
): IncomingTrace | undefined {
  const raw = headers[TRACEPARENT]
  if (raw === undefined || policy === 'ignore' || (policy === 'trusted-proxies' && !peerTrusted)) return undefined
  const text = single(raw)
  // Node joins repeated unknown headers with ', ': that never parses either.
  const parsed = text === undefined || text.length > 512 ? null : parseTraceParent(text)
  if (parsed === null) return undefined
  const spanContext: SpanContext = { ...parsed, traceFlags: parsed.traceFlags & TraceFlags.SAMPLED, isRemote: true }
  const state = headers[TRACESTATE]
  if (state !== undefined) {
    const list = Array.isArray(state) ? state.join(',') : state
    // TraceState keeps the valid members (at most 32) and drops the rest.
    const parsedState = list.length > 8192 ? undefined : new TraceState(list)
    if (parsedState !== undefined && parsedState.serialize() !== '') spanContext.traceState = parsedState
  }
  return { spanContext }
}

/** `00-<trace-id>-<span-id>-<flags>` of a span context. */
export function traceparentOf (ctx: SpanContext): string {
  return `00-${ctx.traceId}-${ctx.spanId}-${(ctx.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED ? '01' : '00'}`
}

/** The trace headers to send upstream for the span (or remote parent) `ctx`. */
export function traceHeadersOf (ctx: SpanContext): { traceparent: string, tracestate?: string } {
  const state = ctx.traceState?.serialize()
  return state ? { traceparent: traceparentOf(ctx), tracestate: state } : { traceparent: traceparentOf(ctx) }
}
