// The gateway server span of every routed request, as Fastify hooks: onRequest accepts the
// client's trace context (server.traceContext, trace-context.ts) and starts the span; onResponse
// names it after the route and ends it with the outcome (status, route, target, rollout,
// rejection). Tracing off, no span is made: the accepted context alone is kept, so it is still
// passed on upstream (and a malformed one is not). Either way `request.traceContext` is what
// upstream calls continue (upstream-spans.ts) and what the request log line carries.
import fp from 'fastify-plugin'
import { SpanKind, SpanStatusCode } from '@opentelemetry/api'
import type { Span, SpanContext } from '@opentelemetry/api'
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import type { TLSSocket } from 'node:tls'
import type {} from '../pipeline/context.js'
import { incomingTraceOf, TRACEPARENT } from './trace-context.js'
import { contextWith } from './tracing.js'
import type { GatewayTracing } from './tracing.js'
import { rolloutAttributes, serverEndAttributes, serverSpanName, serverStartAttributes } from './span-attributes.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The tracer setup (TRACING_OFF unless OTEL_* configure an exporter). */
    tracing: GatewayTracing
  }
  interface FastifyRequest {
    /** The gateway server span; null when tracing is off. */
    serverSpan: Span | null
    /** The span context upstream calls continue: the server span's, else (off) the accepted incoming one. */
    traceContext: SpanContext | null
  }
}

export interface TracingPluginOptions {
  tracing: GatewayTracing
}

function onRequest (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const tracing = request.server.tracing
  const headers = request.headers
  // The usual request has no traceparent and tracing off: one property read, nothing allocated.
  if (!tracing.enabled && headers[TRACEPARENT] === undefined) return done()
  const ctx = request.server.gateway
  const socket = request.raw.socket as TLSSocket | undefined
  const peer = socket?.remoteAddress
  const incoming = headers[TRACEPARENT] === undefined ? undefined : incomingTraceOf(headers, ctx.config.server.traceContext, ctx.trustCheck(peer))
  if (!tracing.enabled) {
    request.traceContext = incoming?.spanContext ?? null
    return done()
  }
  const span = tracing.tracer!.startSpan(serverSpanName(request.method, undefined), {
    kind: SpanKind.SERVER,
    attributes: serverStartAttributes({
      method: request.method,
      url: request.url,
      encrypted: Boolean(socket?.encrypted),
      host: headers.host,
      peer,
      userAgent: headers['user-agent'],
      httpVersion: request.raw.httpVersion
    })
  }, contextWith(incoming?.spanContext))
  request.serverSpan = span
  request.traceContext = span.spanContext()
  done()
}

/** Ends the server span with what the request log line knows: status, route, target, rollout, rejection. */
export function endServerSpan (request: FastifyRequest, reply: FastifyReply): void {
  const span = request.serverSpan
  if (span === null) return
  request.serverSpan = null
  const routing = request.routing
  const outcome = request.outcome
  const route = routing?.route
  span.updateName(serverSpanName(request.method, route?.path))
  span.setAttributes(serverEndAttributes({
    method: request.method,
    status: reply.statusCode,
    routeId: routing?.routeId ?? 'default',
    routePath: route?.path,
    target: routing?.target ?? 'none',
    rejection: outcome?.rejection,
    errorCode: outcome?.errorCode,
    fallback: outcome?.fallback
  }))
  if (route?.lambda !== undefined) {
    const state = request.server.gateway.routeState.get(route.id)
    span.setAttributes(rolloutAttributes({
      routeId: route.id,
      stickyBy: route.rollout?.stickyBy,
      percent: state?.rolloutPercent ?? route.rollout?.percent ?? 100,
      source: { headers: request.headers, ip: request.ip }
    }))
  }
  if (!reply.raw.writableFinished) span.setAttribute('gateway.client.aborted', true)
  if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR })
  span.end()
}

function onResponse (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  endServerSpan(request, reply)
  done()
}

async function tracingPlugin (app: FastifyInstance, opts: TracingPluginOptions): Promise<void> {
  app.decorate('tracing', opts.tracing)
  app.decorateRequest('serverSpan', null)
  app.decorateRequest('traceContext', null)
  app.addHook('onRequest', onRequest)
  app.addHook('onResponse', onResponse)
  app.addHook('onClose', async () => { await opts.tracing.shutdown() })
}

export default fp(tracingPlugin, { name: 'gateway-tracing', fastify: '5.x' })
