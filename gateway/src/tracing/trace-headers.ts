// The trace headers an upstream call carries, set in one place: a client's own traceparent,
// tracestate or (for a function with active tracing) X-Amzn-Trace-Id never goes upstream as the
// client wrote it — the gateway's span context (or, tracing off, the accepted and re-serialised
// incoming one) replaces it, and without one the headers are removed.
import type { SpanContext } from '@opentelemetry/api'
import type { HeaderMap } from '../http/header-hygiene.js'
import { TRACEPARENT, TRACESTATE, traceHeadersOf } from './trace-context.js'
import { XRAY_HEADER, xrayHeaderOf } from './xray-header.js'

/** Sets (or removes) traceparent/tracestate on `headers` in place; `xray`: also X-Amzn-Trace-Id. */
export function applyTraceHeaders (headers: HeaderMap, ctx: SpanContext | null | undefined, xray = false): HeaderMap {
  // Checked first: `delete` of a key an object never had still costs it its fast shape.
  if (headers[TRACEPARENT] !== undefined) delete headers[TRACEPARENT]
  if (headers[TRACESTATE] !== undefined) delete headers[TRACESTATE]
  if (xray && headers[XRAY_HEADER] !== undefined) delete headers[XRAY_HEADER]
  if (ctx === null || ctx === undefined) return headers
  const trace = traceHeadersOf(ctx)
  headers[TRACEPARENT] = trace.traceparent
  if (trace.tracestate !== undefined) headers[TRACESTATE] = trace.tracestate
  if (xray) headers[XRAY_HEADER] = xrayHeaderOf(ctx)
  return headers
}
