// Each shadow call as a CLIENT span of a trace of its own, linked to the server span of the
// request it shadows (the call runs after that request's answer: linked-spans.ts). The side gets
// the shadow span's context, so its own spans join the shadow trace, not the client's.
import type { SpanContext } from '@opentelemetry/api'
import type { RouteConfig } from '../config/schema.js'
import type { Side, SideCall } from '../shadow/shadow-run.js'
import { SpanKind, startLinked } from './linked-spans.js'
import { ATTR_ROUTE_ID, httpClientAttributes, lambdaInvokeAttributes } from './span-attributes.js'
import { applyTraceHeaders } from './trace-headers.js'
import { within } from './child-span.js'
import type { GatewayTracing } from './tracing.js'

export interface ShadowTraceTarget {
  route: RouteConfig
  legacyUrl: string
  region: string
}

/** The sides, each call wrapped in its linked span; tracing off, the sides themselves. */
export function tracedShadowSides (tracing: GatewayTracing, sides: Record<Side, SideCall>, from: SpanContext | null, target: ShadowTraceTarget): Record<Side, SideCall> {
  if (!tracing.enabled) return sides
  const wrap = (side: Side, call: SideCall): SideCall => async (req) => {
    const fn = target.route.lambda
    const attributes = side === 'lambda' && fn
      ? lambdaInvokeAttributes(fn.function, target.region, fn.qualifier)
      : httpClientAttributes(req.method, new URL(target.legacyUrl), req.path + (req.query === '' ? '' : `?${req.query}`))
    const name = side === 'lambda' && fn ? `shadow Lambda.Invoke ${fn.function}` : `shadow ${req.method}`
    const span = startLinked(tracing, name, SpanKind.CLIENT, { ...attributes, [ATTR_ROUTE_ID]: target.route.id, 'gateway.shadow.side': side }, from)
    const active = side === 'lambda' && fn?.tracing === 'Active'
    const headers = applyTraceHeaders({ ...req.headers }, span.context, active)
    return await within(span, () => call({ ...req, headers }), answer => answer.status)
  }
  return { legacy: wrap('legacy', sides.legacy), lambda: wrap('lambda', sides.lambda) }
}
