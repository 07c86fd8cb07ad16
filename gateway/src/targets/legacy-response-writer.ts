// One legacy call's life on undici's dispatcher API: the handler undici drives (one object per
// request, its methods bound once) writes legacy's answer straight to the client's raw response.
// - Back-pressure: a write the client's socket cannot take pauses the upstream parser (the
//   controller), 'drain' resumes it, so a slow client holds a few socket buffers, never the body.
// - The head is written with the first body byte (or at the end): a failure before that is still
//   answered with problem+json (504/502), after it the response is cut, as Fastify cuts a stream.
// - A client that leaves while legacy works is not aborted before legacy answers (legacy works on
//   anyway and the permit stays held); once the answer starts, the call is aborted and ended.
// - 1xx are dropped (Node already answered the client's `Expect`, and legacy never gets one);
//   trailers pass through header hygiene and go out on a chunked response.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { IncomingHttpHeaders, ServerResponse } from 'node:http'
import type { Dispatcher } from 'undici'
import { backwardResponseHeaders } from '../http/header-hygiene.js'
import { sendProblem } from '../http/problem.js'
import { replyHeadersOf } from '../http/reply-headers.js'
import { clientRejectionOf } from '../http/error-handler.js'
import { isClientCausedError, mapLegacyError } from './legacy-errors.js'
import { clientGoneError, isClientGone } from '../http/client-gone.js'
import { NO_SPAN } from '../tracing/child-span.js'
import type { ChildSpan } from '../tracing/child-span.js'

/** Ends one upstream call's bookkeeping (permit hold, in-flight gauge); an argument = legacy's failure. */
export type EndUpstreamCall = (upstreamError?: unknown) => void

/** The in-flight count of upstream calls (one adapter object per gauge, not per request). */
export interface UpstreamGauge {
  inc: () => void
  dec: () => void
}

type Controller = Dispatcher.DispatchController

export type AnswerHead = Record<string, string | number | string[] | undefined>

/**
 * Sees legacy's answer as the client gets it (shadow traffic compares it; Fastify's onSend hooks
 * do not run for a response written straight to the socket): the head once, then every chunk.
 */
export interface AnswerObserver {
  onAnswerHead: (statusCode: number, headers: Readonly<AnswerHead>) => void
  onAnswerChunk: (chunk: Buffer) => void
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who must see this request's answer as it is written (shadow traffic, when shadowed), else null. */
    answerObserver: AnswerObserver | null
  }
}

const noController: Controller | null = null

function statusFailure (statusCode: number): Error {
  return Object.assign(new Error(`upstream answered ${statusCode}`), { statusCode })
}

function hasAny (headers: object): boolean {
  // Trailers are rare and few: no key array for the common empty object.
  for (const name in headers) if (name !== '') return true
  return false
}

export class LegacyExchange implements Dispatcher.DispatchHandler {
  private controller = noController
  private status = 0
  private head: AnswerHead | undefined
  private headWritten = false
  private waitingDrain = false
  private clientGone = false
  private callEnded = false
  private readonly raw: ServerResponse

  constructor (private readonly request: FastifyRequest, private readonly reply: FastifyReply,
    private readonly timeoutMs: number, private readonly startedAt: number, private readonly end: EndUpstreamCall,
    private readonly inflight: UpstreamGauge | undefined, private readonly observer: AnswerObserver | undefined,
    private readonly span: ChildSpan = NO_SPAN) {
    this.raw = reply.raw
    this.onClientClose = this.onClientClose.bind(this)
    this.onDrain = this.onDrain.bind(this)
    this.raw.once('close', this.onClientClose)
  }

  onRequestStart (controller: Controller): void {
    this.controller = controller
    // The call waited in the pool for a connection and the client left meanwhile: never send it.
    if (this.clientGone || isClientGone(this.request, this.reply)) {
      this.clientGone = true
      controller.abort(clientGoneError())
    }
  }

  onResponseStart (controller: Controller, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode < 200) return
    this.request.outcome.upstreamMs = performance.now() - this.startedAt
    if (this.clientGone) { controller.abort(clientGoneError()); return }
    // Node refuses to write a status outside 100-999 and Fastify one outside 100-599: not an answer.
    if (statusCode > 599) { controller.abort(statusFailure(statusCode)); return }
    this.status = statusCode
    this.span.end({ 'http.response.status_code': statusCode })
    // The gateway's own headers (x-request-id, routing headers) first; legacy's win on other names,
    // as reply-from copied them onto the reply (hygiene drops the gateway's names from legacy's).
    const head = replyHeadersOf(this.reply)
    const upstream = backwardResponseHeaders(headers)
    for (const name in upstream) head[name] = upstream[name]
    this.head = head
    this.observer?.onAnswerHead(statusCode, head)
  }

  onResponseData (controller: Controller, chunk: Buffer): void {
    if (this.clientGone) return
    if (!this.headWritten && !this.writeHead(controller)) return
    this.observer?.onAnswerChunk(chunk)
    if (!this.raw.write(chunk) && !this.waitingDrain) {
      this.waitingDrain = true
      controller.pause()
      this.raw.once('drain', this.onDrain)
    }
  }

  onResponseEnd (controller: Controller, trailers: IncomingHttpHeaders): void {
    if (this.callEnded) return
    const raw = this.raw
    if (!this.clientGone) {
      if (!this.headWritten) {
        // No body byte came: Node then frames the answer itself (content-length: 0, or none for
        // HEAD/204/304), where a head written first would announce a chunked body.
        const head = this.head ?? {}
        for (const name in head) {
          const value = head[name]
          if (value !== undefined) raw.setHeader(name, value)
        }
        raw.statusCode = this.status
        this.headWritten = true
      } else if (raw.chunkedEncoding) {
        const forwarded = backwardResponseHeaders(trailers)
        if (hasAny(forwarded)) raw.addTrailers(forwarded)
      }
      raw.end()
    }
    this.finish(this.status >= 500 ? statusFailure(this.status) : undefined)
  }

  onResponseError (controller: Controller | null, error: Error): void {
    if (this.callEnded) return
    const reason = controller?.reason
    if (this.clientGone && reason !== null && reason !== undefined && reason === error) {
      this.finish(undefined)
      return
    }
    const request = this.request
    request.outcome.upstreamMs ??= performance.now() - this.startedAt
    const mapped = mapLegacyError(error, this.timeoutMs)
    request.outcome.rejection = clientRejectionOf(mapped) ?? request.outcome.rejection
    request.outcome.errorCode = mapped.code
    request.log[mapped.statusCode < 500 ? 'info' : 'warn']({ err: error, code: mapped.code }, 'legacy request failed')
    this.span.end(undefined, { code: mapped.code, message: mapped.message })
    if (this.headWritten || this.raw.headersSent) this.raw.destroy()
    else if (!this.raw.destroyed && !this.clientGone) sendProblem(request, this.reply, mapped)
    // What the client sent (a header undici refuses, …) is no fault of legacy's.
    this.finish(isClientCausedError(error) ? undefined : error)
  }

  private writeHead (controller: Controller): boolean {
    try {
      this.raw.writeHead(this.status, this.head)
      this.headWritten = true
      return true
    } catch (err) {
      controller.abort(err as Error)
      return false
    }
  }

  private onDrain (): void {
    this.waitingDrain = false
    this.controller?.resume()
  }

  private onClientClose (): void {
    if (this.raw.writableFinished) return
    this.clientGone = true
    // Before legacy answers the call runs on (permit held); once its answer streams, stop it.
    if (this.head !== undefined && !this.callEnded) this.controller?.abort(clientGoneError())
  }

  private finish (upstreamError: unknown): void {
    this.callEnded = true
    this.span.end() // idempotent: already ended at the answer's head or its error
    this.raw.removeListener('close', this.onClientClose)
    if (this.waitingDrain) this.raw.removeListener('drain', this.onDrain)
    this.inflight?.dec()
    this.end(upstreamError)
  }
}
