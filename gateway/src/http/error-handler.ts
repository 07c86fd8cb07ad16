// Every error that reaches Fastify becomes problem+json. Typed gateway errors (GW_ERR_*) keep
// their status and message; Fastify's own client errors become GW_ERR_REQUEST_INVALID; anything
// else is a 500 GW_ERR_INTERNAL whose details go to the log, never to the client. A Lambda
// function's error message is also log-only (its GW_ERR_ message names only the function).
import { randomUUID } from 'node:crypto'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { InternalError, RequestBodyTimeoutError, RequestHeadersTooLargeError, RequestInvalidError, PayloadTooLargeError } from '../errors.js'
import { markConnectionClosing, sendProblem, toProblem, PROBLEM_CONTENT_TYPE } from './problem.js'
import type { CodedError } from './problem.js'
import type { RejectionReason } from '../ops/metrics.js'
import { isAbortError } from '../protection/rejection.js'

function isGatewayError (err: unknown): err is CodedError {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('GW_ERR_')
}

export function toGatewayError (err: FastifyError | Error): CodedError {
  if (isGatewayError(err)) return err
  const code = (err as FastifyError).code
  const status = (err as FastifyError).statusCode
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new PayloadTooLargeError(0)
  if (code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') return new RequestInvalidError('the body does not match its Content-Length')
  if (typeof status === 'number' && status >= 400 && status < 500) return new RequestInvalidError(err.message)
  return new InternalError('see the gateway log for this requestId')
}

/** The rejection reason of a request refused for what the client sent, or undefined. */
export function clientRejectionOf (mapped: CodedError): RejectionReason | undefined {
  if (mapped.code === 'GW_ERR_REQUEST_PAYLOAD_TOO_LARGE') return 'payload_too_large'
  const status = mapped.statusCode ?? 500
  return status >= 400 && status < 500 && mapped.code.startsWith('GW_ERR_REQUEST_') ? 'bad_request' : undefined
}

export function gatewayErrorHandler (err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  // The client left while its answer was streaming (Fastify then destroys the upstream body):
  // nobody to answer, and no failure of the gateway's or the upstream's.
  if (reply.raw.destroyed && isAbortError(err)) {
    request.log.info({ err: { message: err.message, code: (err as FastifyError).code } }, 'client closed the connection before its answer ended')
    return reply
  }
  const mapped = toGatewayError(err)
  // Protection rejections (protection/rejection.ts) carry their metric `reason` and headers.
  const branded = err as { reason?: unknown, headers?: unknown }
  const status = mapped.statusCode ?? 500
  if (request.outcome) {
    request.outcome.errorCode = mapped.code
    if (typeof branded.reason === 'string') request.outcome.rejection = branded.reason as RejectionReason
    else if (mapped.code === 'GW_ERR_LAMBDA_THROTTLED') request.outcome.rejection = 'throttled'
    else request.outcome.rejection = clientRejectionOf(mapped) ?? request.outcome.rejection
  }
  if (mapped.code === 'GW_ERR_INTERNAL') request.server.gateway?.metrics.internalErrors.inc({ where: 'handler' })
  if (status >= 500) request.log.error({ err, code: mapped.code }, 'request failed')
  else request.log.info({ err: { message: err.message, code: (err as FastifyError).code }, code: mapped.code }, 'request refused')
  const headers: Record<string, string> = {}
  if (branded.headers && typeof branded.headers === 'object') Object.assign(headers, branded.headers)
  const retryAfter = (err as { retryAfterSeconds?: unknown }).retryAfterSeconds
  // A branded rejection already carries its Retry-After; never overwrite it with the default.
  if (headers['retry-after'] === undefined) {
    if (typeof retryAfter === 'number') headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfter)))
    else if (mapped.code === 'GW_ERR_LAMBDA_THROTTLED') headers['retry-after'] = '1'
  }
  // A function's message must not leak: the typed error's own message is the safe text.
  return sendProblem(request, reply, mapped, { headers })
}

/** What node:http reports for a connection it could not parse, as the typed error to answer with. */
function clientErrorFor (err: NodeJS.ErrnoException): CodedError {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return new RequestBodyTimeoutError(0)
  if (err.code === 'HPE_HEADER_OVERFLOW') return new RequestHeadersTooLargeError('Node limits them to --max-http-header-size')
  return new RequestInvalidError(`malformed HTTP (${err.code ?? 'parse error'})`)
}

type InFlight = { headersSent?: boolean, shouldKeepAlive?: boolean, req?: { complete?: boolean } }

/**
 * Fastify's `clientErrorHandler`: HTTP node:http cannot parse (framing, bad chunk sizes, invalid
 * header bytes, …). The socket is marked closing, so nothing parsed on it is forwarded later.
 * - The bytes came AFTER a request that arrived whole (garbage or a smuggling attempt behind
 *   it): that request is answered normally, then the connection closes; nothing else is read.
 * - Otherwise a problem+json answer with a request id, and the connection is closed. A request
 *   whose body broke off this way fails its body read and is never forwarded. Like node:http's
 *   own handler, nothing is written once a response has begun: it would corrupt it.
 */
export function gatewayClientErrorHandler (this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket): void {
  markConnectionClosing(socket)
  const inFlight = (socket as Socket & { _httpMessage?: InFlight | null })._httpMessage
  if (inFlight?.req?.complete === true && !socket.destroyed) {
    inFlight.shouldKeepAlive = false
    this.log.info({ err: { message: err.message, code: err.code } }, 'bytes after a complete request refused: the connection closes after its answer')
    return
  }
  if (err.code === 'ECONNRESET' || err.code === 'HPE_CLOSED_CONNECTION' || socket.destroyed) { socket.destroy(); return }
  const mapped = clientErrorFor(err)
  const requestId = randomUUID()
  this.log.info({ requestId, err: { message: err.message, code: err.code }, code: mapped.code }, 'malformed request refused')
  if (socket.writable && inFlight?.headersSent !== true) {
    const problem = toProblem(mapped, requestId, mapped.code === 'GW_ERR_REQUEST_BODY_TIMEOUT' ? 'the request did not arrive in time' : undefined)
    const body = JSON.stringify(problem)
    socket.write(`HTTP/1.1 ${problem.status} ${problem.title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nx-request-id: ${requestId}\r\nConnection: close\r\n\r\n${body}`)
  }
  socket.destroy()
}
