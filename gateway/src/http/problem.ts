// Gateway-made error responses: RFC 9457 problem+json, the same family as the ASP.NET
// ProblemDetails the legacy side speaks. Every body carries `code` (a GW_ERR_* code, see
// docs/errors.md) and `requestId`, so a user's report can be matched to one log line.
import type { FastifyReply, FastifyRequest } from 'fastify'

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  code: string
  requestId: string
}

/** A typed gateway error as built by @fastify/error (code + statusCode + message). */
export interface CodedError {
  code: string
  statusCode?: number
  message: string
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout'
}

/** `type` is a stable URN per code: documented in docs/errors.md, never dereferenced. */
export function problemType (code: string): string {
  return `urn:strangler-gateway:problem:${code.toLowerCase().replace(/^gw_err_/, '').replace(/_/g, '-')}`
}

export function toProblem (err: CodedError, requestId: string, detail?: string): Problem {
  const status = err.statusCode ?? 500
  return {
    type: problemType(err.code),
    title: TITLES[status] ?? 'Error',
    status,
    detail: detail ?? err.message,
    code: err.code,
    requestId
  }
}

const kClosing = Symbol('gateway.connection.closing')

/** The connection ends after the answer being sent: nothing pipelined behind it is served. */
export function markConnectionClosing (socket: object | null | undefined): void {
  if (socket) (socket as Record<symbol, unknown>)[kClosing] = true
}

export function isConnectionClosing (socket: object | null | undefined): boolean {
  return socket ? (socket as Record<symbol, unknown>)[kClosing] === true : false
}

/** Sends a problem+json response for a typed error; extra headers (e.g. Retry-After) optional. */
export function sendProblem (request: FastifyRequest, reply: FastifyReply, err: CodedError,
  opts: { detail?: string, headers?: Record<string, string> } = {}): FastifyReply {
  const problem = toProblem(err, request.id, opts.detail)
  reply.code(problem.status).header('content-type', PROBLEM_CONTENT_TYPE)
  for (const [name, value] of Object.entries(opts.headers ?? {})) reply.header(name, value)
  // An early answer leaves the rest of the request body unread (e.g. 413): close the
  // connection instead of draining it, so the socket cannot linger half-read.
  if (!request.raw.complete) {
    reply.header('connection', 'close')
    markConnectionClosing(request.raw.socket)
  }
  // A Buffer, so Fastify does not append '; charset=utf-8' to the media type.
  return reply.send(Buffer.from(JSON.stringify(problem)))
}
