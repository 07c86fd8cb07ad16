// Work a request caused but does not wait for — a shadow call after the client's answer, an async
// job's delivery minutes later — gets a trace of its own, LINKED to the span that caused it
// (the request's server span; for a job, the intake's, stored with the job as the traceparent of
// its headers). A child would outlive its parent and stretch the request's trace over retries.
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api'
import type { Attributes, SpanContext } from '@opentelemetry/api'
import { NO_SPAN, openSpan } from './child-span.js'
import type { ChildSpan } from './child-span.js'
import { incomingTraceOf } from './trace-context.js'
import type { GatewayTracing } from './tracing.js'

/** A new trace's root span linked to `from` (when there is one). Off: NO_SPAN (what was captured goes on as is). */
export function startLinked (tracing: GatewayTracing, name: string, kind: SpanKind, attributes: Attributes, from: SpanContext | null | undefined): ChildSpan {
  if (!tracing.enabled) return NO_SPAN
  return openSpan(tracing.tracer!, name, kind, attributes, ROOT_CONTEXT, from ? [{ context: from }] : undefined)
}

/** A child of a linked root (the legacy call inside a delivery). Off: NO_SPAN. */
export function startChildOf (tracing: GatewayTracing, parent: ChildSpan, name: string, kind: SpanKind, attributes: Attributes): ChildSpan {
  if (!tracing.enabled || parent.context === null) return NO_SPAN
  return openSpan(tracing.tracer!, name, kind, attributes, trace.setSpanContext(ROOT_CONTEXT, parent.context))
}

/** The span context stored in a job's (or captured request's) headers: what the intake sent on. */
export function storedTraceContext (headers: Readonly<Record<string, string | string[] | undefined>>): SpanContext | undefined {
  // Written by the gateway itself at intake (trace-headers.ts), so any policy would accept it.
  return incomingTraceOf(headers, 'any', true)?.spanContext
}

export { SpanKind }
