// The one place a request's outgoing headers are computed: the synchronous legacy forward, the
// Lambda event, the shadow call and the async intake all call forwardHeadersOf, so a stored job
// carries exactly what a synchronous forward would have sent (docs/security.md, "Async parity").
import type { FastifyRequest } from 'fastify'
import type { TLSSocket } from 'node:tls'
import type {} from '../pipeline/context.js'
import { forwardRequestHeaders } from './header-hygiene.js'
import type { HeaderMap } from './header-hygiene.js'
import { applyTraceHeaders } from '../tracing/trace-headers.js'
import type {} from '../tracing/tracing.plugin.js'

/** The request's headers after hygiene, with its peer, TLS state and request id, and the trace
 * context the request continues (the server span's; never a client's traceparent as written). */
export function forwardHeadersOf (request: FastifyRequest): HeaderMap {
  const ctx = request.server.gateway
  const socket = request.raw.socket as TLSSocket | undefined
  const peer = socket?.remoteAddress
  return applyTraceHeaders(forwardRequestHeaders(request.headers, {
    peer,
    peerTrusted: ctx.trustCheck(peer),
    encrypted: Boolean(socket?.encrypted),
    requestId: request.id,
    internalHeaders: ctx.internalHeaders
  }), request.traceContext)
}
