// The legacy target: streamed proxying through @fastify/reply-from over our own undici pool.
// Retries are OFF on every path reply-from has (retriesCount, its retry-on-socket-error, and
// its default "retry a GET up to 10 times on 503"): the protection layer owns retries, and a
// proxy that silently multiplies load on a struggling legacy backend is what we must avoid.
//
// A client that hangs up does NOT abort the call once it is sent: legacy (like IIS) keeps
// working on it anyway, so the call keeps its concurrency permit until legacy answered (or
// failed, or timed out after timeoutMs) and the answer is dropped. Aborting would only hide
// legacy's work from the cap (and cost a pooled connection). Not yet sent = never sent.
import replyFrom from '@fastify/reply-from'
import type { FastifyReplyFromOptions } from '@fastify/reply-from'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { IncomingHttpHeaders } from 'node:http'
import type { Dispatcher, Pool } from 'undici'
import { backwardResponseHeaders } from '../http/header-hygiene.js'
import { sendProblem } from '../http/problem.js'
import { resendableBody } from '../http/resend-body.js'
import { clientRejectionOf } from '../http/error-handler.js'
import { isClientGone } from '../http/client-gone.js'
import { rejectBadPath } from '../pipeline/bad-path.js'
import { forwardContextOf } from './forward-context.js'
import { isClientCausedError, mapLegacyError } from './legacy-errors.js'
import type { Permits, Target } from './target.port.js'

/** The target's name, and its upstream label (gateway_upstream_inflight, the breaker). */
export const LEGACY_TARGET = 'legacy'
export const LEGACY_UPSTREAM = LEGACY_TARGET

/** Starts one upstream call's bookkeeping at dispatch; the returned function ends it. */
type UpstreamCall = () => (upstreamError?: unknown) => void
type RequestCallback = (err: Error | null, data?: Dispatcher.ResponseData) => void

// reply-from offers no per-request hook at dispatch nor a signal, but it copies the headers
// object (Object.assign, symbol keys included) into the undici request options: the call's
// bookkeeping rides along under a symbol and is taken off again before undici sees the headers.
const kUpstreamCall = Symbol('gateway.legacy.upstreamCall')

/**
 * The pool as reply-from's `undici` option (reply-from takes any object with `request`): ends a
 * call's bookkeeping when the call really ended — an error, or the response body closed
 * (read to the end, or destroyed when the client had gone).
 */
export function trackedDispatcher (pool: Pool): { request: (opts: Dispatcher.RequestOptions, callback: RequestCallback) => void } {
  return {
    request (opts, callback) {
      const headers = opts.headers as Record<string | symbol, unknown> | undefined
      const begin = headers?.[kUpstreamCall] as UpstreamCall | undefined
      if (!begin) { pool.request(opts, callback); return }
      delete headers?.[kUpstreamCall]
      const end = begin()
      pool.request(opts, (err, data) => {
        if (err || !data) {
          // A request undici refused for what the client sent is no fault of legacy's.
          end(err && !isClientCausedError(err) ? err : undefined)
          callback(err, data)
          return
        }
        const failed = data.statusCode >= 500 ? Object.assign(new Error(`upstream answered ${data.statusCode}`), { statusCode: data.statusCode }) : undefined
        data.body.once('close', () => end(failed))
        callback(null, data)
      })
    }
  }
}

/** Registers reply-from once, on the given pool (app.ts closes the pool on shutdown). */
export async function registerLegacyProxy (app: FastifyInstance, base: string, pool: Pool): Promise<void> {
  await app.register(replyFrom, {
    base,
    // Typed as a whole Dispatcher of reply-from's own undici (7; ours is 8); it only calls request(opts, callback).
    undici: trackedDispatcher(pool) as unknown as FastifyReplyFromOptions['undici'],
    retryMethods: [],
    maxRetriesOn503: 0,
    disableRequestLogging: true,
    contentTypesToEncode: []
  })
}

/** `bodyBytes`: the length of a body read whole; undefined = a stream of the client's declared length. */
function requestHeadersFor (request: FastifyRequest, upstreamHost: string, bodyBytes: number | undefined): IncomingHttpHeaders {
  const headers = forwardContextOf(request).headers
  headers.host = upstreamHost
  // Node already answered `100 Continue` and the body is read whole: the expectation is met
  // here, and undici refuses the header anyway (a 502 that must never count against legacy).
  delete headers.expect
  // The body was read whole (raw-body.ts): legacy gets its exact length, never chunked framing.
  if (bodyBytes !== undefined && bodyBytes > 0) headers['content-length'] = String(bodyBytes)
  else if (bodyBytes !== undefined || request.body === undefined || request.body === null) delete headers['content-length']
  return headers as IncomingHttpHeaders
}

let parsedBase: { url: string, base: URL, basePath: string } | undefined

/** legacy.url parsed once per value (a reload may change it), not on every request. */
function legacyBase (url: string): { base: URL, basePath: string } {
  if (parsedBase?.url !== url) {
    const base = new URL(url)
    parsedBase = { url, base, basePath: base.pathname.replace(/\/+$/, '') }
  }
  return parsedBase
}

export function forwardToLegacy (request: FastifyRequest, reply: FastifyReply, permits: Permits): FastifyReply {
  const ctx = request.server.gateway
  const legacy = ctx.config.legacy
  const { base, basePath } = legacyBase(legacy.url)
  const inflight = ctx.metrics.upstreamInflight
  const started = performance.now()
  // The client left before the call was sent (e.g. while it waited for a permit): never send it.
  if (isClientGone(request, reply)) return reply
  // reply-from re-encodes a Buffer body (JSON.stringify for JSON content-types) and rewrites
  // content-type; a stream goes through as it is. The bytes are whole already (raw-body.ts).
  let bodyBytes: number | undefined
  if (Buffer.isBuffer(request.body)) {
    bodyBytes = request.body.length
    request.body = resendableBody(request.body)
  } else if (request.body === undefined || request.body === null) bodyBytes = 0
  const call: UpstreamCall = () => {
    inflight.inc({ upstream: LEGACY_UPSTREAM })
    const endHold = permits.hold(request)
    return (upstreamError) => {
      inflight.dec({ upstream: LEGACY_UPSTREAM })
      endHold(upstreamError)
    }
  }

  try {
    return reply.from(basePath + request.routing.path, {
      timeout: legacy.timeoutMs,
      retriesCount: 0,
      retryDelay: () => null,
      rewriteRequestHeaders: (req) => {
        const headers = requestHeadersFor(req as FastifyRequest, base.host, bodyBytes)
        ;(headers as Record<symbol, unknown>)[kUpstreamCall] = call
        return headers
      },
      rewriteHeaders: (headers) => backwardResponseHeaders(headers) as IncomingHttpHeaders,
      onResponse: (_req, rep, res) => {
        request.outcome.upstreamMs = performance.now() - started
        rep.send(res.stream)
      },
      onError: (rep, { error }) => {
        request.outcome.upstreamMs = performance.now() - started
        const mapped = mapLegacyError(error, legacy.timeoutMs)
        request.outcome.rejection = clientRejectionOf(mapped) ?? request.outcome.rejection
        request.outcome.errorCode = mapped.code
        request.log[mapped.statusCode < 500 ? 'info' : 'warn']({ err: error, code: mapped.code }, 'legacy request failed')
        sendProblem(request, rep as FastifyReply, mapped)
      }
    })
  } catch (err) {
    // reply-from refuses a source it considers a traversal; the normaliser should have
    // caught it first, so this is defence in depth.
    return rejectBadPath(request, reply, (err as Error).message)
  }
}

/** The default target (every unmatched path, every route without a Lambda): legacy's one shield. */
export const legacyTarget: Target = {
  name: LEGACY_TARGET,
  forward: forwardToLegacy,
  shieldOf: (protection) => ({ shield: protection.legacy })
}
