// The legacy target: streamed proxying through @fastify/reply-from over our own undici pool.
// Retries are OFF on every path reply-from has (retriesCount, its retry-on-socket-error, and
// its default "retry a GET up to 10 times on 503"): the protection layer owns retries, and a
// proxy that silently multiplies load on a struggling legacy backend is what we must avoid.
import replyFrom from '@fastify/reply-from'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { IncomingHttpHeaders } from 'node:http'
import type { TLSSocket } from 'node:tls'
import type { Pool } from 'undici'
import { forwardRequestHeaders, backwardResponseHeaders } from '../http/header-hygiene.js'
import { sendProblem } from '../http/problem.js'
import { BadPathError } from '../errors.js'
import { mapLegacyError } from './legacy-errors.js'

export const LEGACY_UPSTREAM = 'legacy'

/** Registers reply-from once, on the given pool (app.ts closes the pool on shutdown). */
export async function registerLegacyProxy (app: FastifyInstance, base: string, pool: Pool): Promise<void> {
  await app.register(replyFrom, {
    base,
    undici: pool as unknown as { request: Pool['request'] },
    retryMethods: [],
    maxRetriesOn503: 0,
    disableRequestLogging: true,
    contentTypesToEncode: []
  })
}

function requestHeadersFor (request: FastifyRequest, upstreamHost: string): IncomingHttpHeaders {
  const ctx = request.server.gateway
  const headers = forwardRequestHeaders(request.headers, {
    peer: request.raw.socket.remoteAddress,
    peerTrusted: ctx.trustCheck(request.raw.socket.remoteAddress),
    encrypted: Boolean((request.raw.socket as TLSSocket).encrypted),
    requestId: request.id,
    internalHeaders: ctx.internalHeaders
  })
  headers.host = upstreamHost
  // A bodyless forward (GET/HEAD, or an empty body) must not announce one.
  if (request.body === undefined || request.body === null) delete headers['content-length']
  return headers as IncomingHttpHeaders
}

export function forwardToLegacy (request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const ctx = request.server.gateway
  const legacy = ctx.config.legacy
  const base = new URL(legacy.url)
  const basePath = base.pathname.replace(/\/+$/, '')
  const inflight = ctx.metrics.upstreamInflight
  const started = performance.now()

  inflight.inc({ upstream: LEGACY_UPSTREAM })
  reply.raw.once('close', () => inflight.dec({ upstream: LEGACY_UPSTREAM }))

  try {
    return reply.from(basePath + request.routing.path, {
      timeout: legacy.timeoutMs,
      retriesCount: 0,
      retryDelay: () => null,
      rewriteRequestHeaders: (req) => requestHeadersFor(req as FastifyRequest, base.host),
      rewriteHeaders: (headers) => backwardResponseHeaders(headers) as IncomingHttpHeaders,
      onResponse: (_req, rep, res) => {
        request.outcome.upstreamMs = performance.now() - started
        rep.send(res.stream)
      },
      onError: (rep, { error }) => {
        request.outcome.upstreamMs = performance.now() - started
        const mapped = mapLegacyError(error, legacy.timeoutMs)
        if (mapped.code === 'GW_ERR_REQUEST_PAYLOAD_TOO_LARGE') request.outcome.rejection = 'payload_too_large'
        request.outcome.errorCode = mapped.code
        request.log.warn({ err: error, code: mapped.code }, 'legacy request failed')
        sendProblem(request, rep as FastifyReply, mapped)
      }
    })
  } catch (err) {
    // reply-from refuses a source it considers a traversal; the normaliser should have
    // caught it first, so this is defence in depth.
    request.outcome.rejection = 'bad_request'
    return sendProblem(request, reply, new BadPathError((err as Error).message))
  }
}
