// The X-Ray form of a trace context, `X-Amzn-Trace-Id: Root=1-<8 hex>-<24 hex>;Parent=<16 hex>;Sampled=<0|1>`
// (docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader),
// sent to a function with active tracing so Lambda's own segments join the same trace. The
// W3C trace id is the X-Ray root without its version and dashes; X-Ray reads the first 8 hex
// digits as the epoch second the trace started, which is why the gateway's trace ids carry it
// (time-trace-ids.ts). Pure. The function side reads it back in lambdas/shared/trace-context.ts.
import { TraceFlags } from '@opentelemetry/api'
import type { SpanContext } from '@opentelemetry/api'

export const XRAY_HEADER = 'x-amzn-trace-id'

/** `Root=1-…;Parent=…;Sampled=…` for the span context. */
export function xrayHeaderOf (ctx: SpanContext): string {
  const sampled = (ctx.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED ? 1 : 0
  return `Root=1-${ctx.traceId.slice(0, 8)}-${ctx.traceId.slice(8)};Parent=${ctx.spanId};Sampled=${sampled}`
}
