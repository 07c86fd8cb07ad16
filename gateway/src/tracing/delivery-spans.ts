// The spans of one async job delivery attempt: a CONSUMER root of its own trace, linked to the
// intake that accepted the job (its span context is the traceparent the intake stored in the
// job's headers), covering the wait for a legacy permit; and a CLIENT child for the legacy call,
// whose context legacy receives. Tracing off, the stored traceparent goes to legacy unchanged.
import type { Job } from '../async/job-queue.port.js'
import type { DeliveryRequest, DeliveryResponse } from '../async/deliver-job.js'
import { SpanKind, startChildOf, startLinked, storedTraceContext } from './linked-spans.js'
import { ATTR_ROUTE_ID, httpClientAttributes } from './span-attributes.js'
import { applyTraceHeaders } from './trace-headers.js'
import { within } from './child-span.js'
import type { GatewayTracing } from './tracing.js'

export interface DeliveryTrace {
  /** Sends `req` through `deliver` inside the client span (its traceparent in the headers). */
  send (req: DeliveryRequest, deliver: (req: DeliveryRequest) => Promise<DeliveryResponse>): Promise<DeliveryResponse>
  /** Ends the attempt's span with its outcome (delivery-outcome.ts kinds, or `interrupted`). */
  end (outcome: string): void
}

/** The worker's `traceDelivery` option: undefined when tracing is off (the stored headers go as they are). */
export function deliveryTracer (tracing: GatewayTracing, legacyUrl: string): ((job: Job) => DeliveryTrace) | undefined {
  if (!tracing.enabled) return undefined
  const base = new URL(legacyUrl)
  const basePath = base.pathname.replace(/\/+$/, '')
  return (job) => {
    const root = startLinked(tracing, `async deliver ${job.routeId}`, SpanKind.CONSUMER, {
      [ATTR_ROUTE_ID]: job.routeId,
      'gateway.job.id': job.id,
      'gateway.job.attempt': job.attempts + 1
    }, storedTraceContext(job.headers))
    return {
      async send (req, deliver) {
        const call = startChildOf(tracing, root, req.method, SpanKind.CLIENT, httpClientAttributes(req.method, base, basePath + req.target))
        const headers = applyTraceHeaders({ ...req.headers }, call.context)
        return await within(call, () => deliver({ ...req, headers }), res => res.status)
      },
      end (outcome) {
        root.end({ 'gateway.job.outcome': outcome }, outcome === 'transient' ? { code: 'transient' } : undefined)
      }
    }
  }
}
