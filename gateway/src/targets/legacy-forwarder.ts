// The legacy forward on undici's dispatcher API: one `dispatch` per request on our own pool
// (legacy-pool.ts: HTTP/1.1 keep-alive, TLS always verified), its answer written straight to the
// client's response by one LegacyExchange (legacy-response-writer.ts). No retries anywhere: a
// Pool's dispatch has none, and the protection layer owns retries (a proxy that multiplies load
// on a struggling legacy is what the gateway exists to prevent).
//
// A request body arrives read whole (http/raw-body.ts) and goes out as those bytes with their
// exact length; the answer streams with back-pressure. `legacy.timeoutMs` bounds the wait for
// legacy's headers and every pause between its body chunks; `connectTimeoutMs` is the pool's.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Dispatcher } from 'undici'
import type { HeaderMap } from '../http/header-hygiene.js'
import { isClientGone } from '../http/client-gone.js'
import { rejectBadPath } from '../pipeline/bad-path.js'
import { startLegacyCall } from '../tracing/upstream-spans.js'
import { applyTraceHeaders } from '../tracing/trace-headers.js'
import { LegacyExchange } from './legacy-response-writer.js'
import type { AnswerObserver, EndUpstreamCall, UpstreamGauge } from './legacy-response-writer.js'

/** Starts one upstream call's permit hold at dispatch (Permits.hold); the returned function ends it. */
export interface PermitHold {
  hold: (request: FastifyRequest) => EndUpstreamCall
}

/** The legacy settings a forward reads (config.legacy; a reload swaps the object). */
export interface LegacyForwardSettings {
  readonly url: string
  readonly timeoutMs: number
}

interface ParsedBase { url: string, origin: URL, host: string, basePath: string }

/**
 * `..` as a whole path segment after decoding, the test reply-from applied before every forward.
 * The normaliser already refuses such paths; kept so a path reply-from refused is still refused.
 */
export function isTraversal (path: string): boolean {
  if (!path.includes('..') && !path.includes('%')) return false
  let decoded: string
  try {
    decoded = decodeURIComponent(path)
  } catch {
    return true
  }
  return decoded === '..' || decoded.includes('/..') || decoded.includes('../')
}

/**
 * The request headers legacy gets, from the hygienic forward headers (mutated in place).
 * `body`: the bytes read whole, or a stream of the client's declared length (kept as declared).
 */
export function legacyRequestHeaders (headers: HeaderMap, host: string, body: unknown): HeaderMap {
  headers.host = host
  // Node already answered `100 Continue` and the body is read whole: the expectation is met
  // here, and undici refuses the header anyway (a 502 that must never count against legacy).
  delete headers.expect
  if (Buffer.isBuffer(body) && body.length > 0) headers['content-length'] = String(body.length)
  else if (Buffer.isBuffer(body) || body === undefined || body === null) delete headers['content-length']
  return headers
}

export class LegacyForwarder {
  private base: ParsedBase | undefined

  /** `inflight`: counts the calls under way (the upstream in-flight gauge), if given. */
  constructor (private readonly dispatcher: Dispatcher, private readonly inflight?: UpstreamGauge) {}

  /**
   * Forwards the request to legacy and answers the client with legacy's response (or a
   * problem+json). `headers`: forwardHeadersOf(request). `permits.hold` runs only when the call is
   * really dispatched; a client already gone is never sent (false is returned, nothing answered).
   * `observer`: sees the answer as it is written (shadow traffic), when one needs it.
   */
  forward (request: FastifyRequest, reply: FastifyReply, legacy: LegacyForwardSettings, headers: HeaderMap,
    permits: PermitHold, observer?: AnswerObserver): boolean {
    const started = performance.now()
    // The client left before the call was sent (e.g. while it waited for a permit): never send it.
    if (isClientGone(request, reply)) return false
    const base = this.parsed(legacy.url)
    const path = base.basePath + request.routing.path
    if (isTraversal(path)) {
      rejectBadPath(request, reply, 'source/request contain invalid characters')
      return false
    }
    const url = request.raw.url ?? ''
    const q = url.indexOf('?')
    const body = request.body
    const pathAndQuery = q > 0 ? path + url.slice(q) : path
    // The legacy call's span (tracing on: NO_SPAN otherwise); legacy continues it.
    const span = startLegacyCall(request, base.origin, pathAndQuery)
    const outgoing = legacyRequestHeaders(headers, base.host, body)
    if (span.context !== null) applyTraceHeaders(outgoing, span.context)
    this.inflight?.inc()
    const exchange = new LegacyExchange(request, reply, legacy.timeoutMs, started, permits.hold(request), this.inflight, observer, span)
    this.dispatcher.dispatch({
      path: pathAndQuery,
      method: request.method as Dispatcher.HttpMethod,
      headers: outgoing,
      body: Buffer.isBuffer(body) ? (body.length > 0 ? body : null) : (body as Dispatcher.DispatchOptions['body']) ?? null,
      headersTimeout: legacy.timeoutMs,
      bodyTimeout: legacy.timeoutMs
    }, exchange)
    return true
  }

  /** legacy.url parsed once per value (a reload may change it), not on every request. */
  private parsed (url: string): ParsedBase {
    let base = this.base
    if (base?.url !== url) {
      const u = new URL(url)
      base = { url, origin: u, host: u.host, basePath: u.pathname.replace(/\/+$/, '') }
      this.base = base
    }
    return base
  }
}
