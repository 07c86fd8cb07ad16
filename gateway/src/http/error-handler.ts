// Every error that reaches Fastify becomes problem+json. Typed gateway errors (GW_ERR_*) keep
// their status and message; Fastify's own client errors become GW_ERR_REQUEST_INVALID; anything
// else is a 500 GW_ERR_INTERNAL whose details go to the log, never to the client. A Lambda
// function's error message is also log-only (its GW_ERR_ message names only the function).
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { InternalError, RequestInvalidError, PayloadTooLargeError } from '../errors.js'
import { sendProblem } from './problem.js'
import type { CodedError } from './problem.js'
import type { RejectionReason } from '../ops/metrics.js'

function isGatewayError (err: unknown): err is CodedError {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('GW_ERR_')
}

export function toGatewayError (err: FastifyError | Error): CodedError {
  if (isGatewayError(err)) return err
  const code = (err as FastifyError).code
  const status = (err as FastifyError).statusCode
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new PayloadTooLargeError(0)
  if (typeof status === 'number' && status >= 400 && status < 500) return new RequestInvalidError(err.message)
  return new InternalError('see the gateway log for this requestId')
}

export function gatewayErrorHandler (err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const mapped = toGatewayError(err)
  // Protection rejections (protection/rejection.ts) carry their metric `reason` and headers.
  const branded = err as { reason?: unknown, headers?: unknown }
  if (request.outcome) {
    request.outcome.errorCode = mapped.code
    if (typeof branded.reason === 'string') request.outcome.rejection = branded.reason as RejectionReason
    else if (mapped.code === 'GW_ERR_REQUEST_PAYLOAD_TOO_LARGE') request.outcome.rejection = 'payload_too_large'
    else if (mapped.code === 'GW_ERR_LAMBDA_THROTTLED') request.outcome.rejection = 'throttled'
  }
  const status = mapped.statusCode ?? 500
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
