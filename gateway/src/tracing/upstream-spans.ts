// The child spans of a request's server span, each started where its work starts and ended by
// the returned function: the wait for a legacy permit, the legacy HTTP call, the Lambda invoke.
// Tracing off (no server span) every helper returns NO_SPAN without allocating: the call then
// carries what forwardHeadersOf put in, the accepted incoming context (request.traceContext).
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api'
import type { Attributes } from '@opentelemetry/api'
import type { FastifyRequest } from 'fastify'
import type {} from './tracing.plugin.js'
import { ATTR_FAAS_COLDSTART, ATTR_REJECTION, httpClientAttributes, lambdaInvokeAttributes } from './span-attributes.js'
import { NO_SPAN, openSpan } from './child-span.js'
import type { ChildSpan } from './child-span.js'

export type { ChildSpan } from './child-span.js'
export { spanErrorOf } from './child-span.js'

function child (request: FastifyRequest, name: string, kind: SpanKind, attributes: Attributes): ChildSpan {
  // Undefined, not null, in an app without the tracing plugin (unit tests of a single plugin).
  const parent = request.serverSpan
  if (parent === null || parent === undefined) return NO_SPAN
  return openSpan(request.server.tracing.tracer!, name, kind, attributes, trace.setSpan(ROOT_CONTEXT, parent))
}

/** The wait for a permit of `upstream` (legacy's cap and queue, a function's cap). End with the outcome. */
export function startPermitWait (request: FastifyRequest, upstream: string): ChildSpan {
  return child(request, `permit ${upstream}`, SpanKind.INTERNAL, { 'gateway.upstream': upstream })
}

/** The outcome attributes of a permit wait: granted, or the rejection that ended it. */
export function permitOutcome (rejection: string | undefined): Attributes {
  return rejection === undefined ? { 'gateway.permit.outcome': 'granted' } : { 'gateway.permit.outcome': 'rejected', [ATTR_REJECTION]: rejection }
}

/** A legacy HTTP call (`GET`, per the HTTP client conventions). */
export function startLegacyCall (request: FastifyRequest, origin: URL, pathAndQuery: string): ChildSpan {
  return child(request, request.method, SpanKind.CLIENT, httpClientAttributes(request.method, origin, pathAndQuery))
}

/** A Lambda invoke (`Lambda.Invoke <function>`); end it with lambdaReportAttributes. */
export function startLambdaInvoke (request: FastifyRequest, functionName: string, region: string, qualifier?: string): ChildSpan {
  return child(request, `Lambda.Invoke ${functionName}`, SpanKind.CLIENT, lambdaInvokeAttributes(functionName, region, qualifier))
}

/** Cold start and durations from the invoke's REPORT line. */
export function lambdaReportAttributes (report: { coldStart: boolean, initDurationMs?: number | undefined, billedDurationMs?: number | undefined } | undefined): Attributes {
  if (report === undefined) return {}
  const attrs: Attributes = { [ATTR_FAAS_COLDSTART]: report.coldStart }
  if (report.initDurationMs !== undefined) attrs['gateway.lambda.init_duration_ms'] = report.initDurationMs
  if (report.billedDurationMs !== undefined) attrs['gateway.lambda.billed_duration_ms'] = report.billedDurationMs
  return attrs
}
