// The child spans of a request's server span, each started where its work starts and ended by
// the returned function: the wait for a legacy permit, the legacy HTTP call, the Lambda invoke.
// Tracing off (no server span) every helper returns NO_SPAN without allocating: the call then
// carries what forwardHeadersOf put in, the accepted incoming context (request.traceContext).
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api'
import type { Attributes, Span } from '@opentelemetry/api'
import type { FastifyRequest } from 'fastify'
import type {} from './tracing.plugin.js'
import { ATTR_FAAS_COLDSTART, ATTR_REJECTION, httpClientAttributes, lambdaInvokeAttributes } from './span-attributes.js'
import { NO_SPAN, openSpan } from './child-span.js'
import type { ChildSpan } from './child-span.js'

export type { ChildSpan } from './child-span.js'
export { spanErrorOf } from './child-span.js'

// Tracing off, the parent is checked BEFORE a span's name and attributes are built: building
// them cost ≈ 2 µs per request (a URL's parts, an object, a string) for a span never started.
function parentOf (request: FastifyRequest): Span | undefined {
  // Undefined, not null, in an app without the tracing plugin (unit tests of a single plugin).
  return request.serverSpan ?? undefined
}

function child (request: FastifyRequest, parent: Span, name: string, kind: SpanKind, attributes: Attributes): ChildSpan {
  return openSpan(request.server.tracing.tracer!, name, kind, attributes, trace.setSpan(ROOT_CONTEXT, parent))
}

/** The wait for a permit: legacy's cap and queue (no function), or a function's cap. End with the outcome. */
export function startPermitWait (request: FastifyRequest, functionName: string | undefined): ChildSpan {
  const parent = parentOf(request)
  if (parent === undefined) return NO_SPAN
  const upstream = functionName === undefined ? 'legacy' : `lambda:${functionName}`
  return child(request, parent, `permit ${upstream}`, SpanKind.INTERNAL, { 'gateway.upstream': upstream })
}

const GRANTED: Attributes = Object.freeze({ 'gateway.permit.outcome': 'granted' })

/** The outcome attributes of a permit wait: granted, or the rejection that ended it. */
export function permitOutcome (rejection: string | undefined): Attributes {
  return rejection === undefined ? GRANTED : { 'gateway.permit.outcome': 'rejected', [ATTR_REJECTION]: rejection }
}

/** A legacy HTTP call (`GET`, per the HTTP client conventions). */
export function startLegacyCall (request: FastifyRequest, origin: URL, pathAndQuery: string): ChildSpan {
  const parent = parentOf(request)
  if (parent === undefined) return NO_SPAN
  return child(request, parent, request.method, SpanKind.CLIENT, httpClientAttributes(request.method, origin, pathAndQuery))
}

/** A Lambda invoke (`Lambda.Invoke <function>`); end it with lambdaReportAttributes. */
export function startLambdaInvoke (request: FastifyRequest, functionName: string, region: string, qualifier?: string): ChildSpan {
  const parent = parentOf(request)
  if (parent === undefined) return NO_SPAN
  return child(request, parent, `Lambda.Invoke ${functionName}`, SpanKind.CLIENT, lambdaInvokeAttributes(functionName, region, qualifier))
}

/** Cold start and durations from the invoke's REPORT line. */
export function lambdaReportAttributes (report: { coldStart: boolean, initDurationMs?: number | undefined, billedDurationMs?: number | undefined } | undefined): Attributes {
  if (report === undefined) return {}
  const attrs: Attributes = { [ATTR_FAAS_COLDSTART]: report.coldStart }
  if (report.initDurationMs !== undefined) attrs['gateway.lambda.init_duration_ms'] = report.initDurationMs
  if (report.billedDurationMs !== undefined) attrs['gateway.lambda.billed_duration_ms'] = report.billedDurationMs
  return attrs
}
