// Every error leaves the stub as ASP.NET ProblemDetails (application/problem+json): our own
// STUB_ERR_* errors, Fastify's body-parsing errors translated to what ASP.NET says for the same
// mistake, unknown routes (404), and anything unexpected (500, logged, no stack to the client).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { FieldErrors } from './errors.js'
import { BadRequestError, InternalError, PayloadTooLargeError, RouteNotFoundError, UnsupportedMediaTypeError, validationError } from './errors.js'
import { problemDetails, traceIdFor } from './problem-details.js'

type StubError = Error & { code?: string, statusCode?: number, errors?: FieldErrors }
type KnownStubError = Error & { code: string, statusCode: number, errors?: FieldErrors }

/** Maps any thrown error to one of ours. */
export function toStubError (err: StubError, contentType = 'unknown'): KnownStubError {
  if (err.code?.startsWith('STUB_ERR_') === true && err.statusCode !== undefined) {
    return err as KnownStubError
  }
  switch (err.code) {
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return validationError({ '': ['A non-empty request body is required.'] })
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return validationError({ $: ['The JSON value could not be parsed.'] })
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new UnsupportedMediaTypeError(contentType)
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new PayloadTooLargeError()
  }
  if (err instanceof SyntaxError && err.statusCode === 400) return validationError({ $: ['The JSON value could not be parsed.'] })
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) return new BadRequestError(err.message)
  return new InternalError({ cause: err })
}

export function sendProblem (request: FastifyRequest, reply: FastifyReply, err: StubError): FastifyReply {
  const stub = toStubError(err, request.headers['content-type'])
  if (stub.code === 'STUB_ERR_INTERNAL') request.log.error({ err }, 'unexpected error')
  const traceparent = request.headers.traceparent
  return reply
    .code(stub.statusCode)
    .type('application/problem+json')
    .send(problemDetails({
      status: stub.statusCode,
      code: stub.code,
      ...(stub.errors === undefined ? { detail: stub.message } : { errors: stub.errors }),
      traceId: traceIdFor(typeof traceparent === 'string' ? traceparent : undefined)
    }))
}

export function registerProblemReplies (app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => sendProblem(request, reply, err))
  app.setNotFoundHandler((request, reply) => {
    sendProblem(request, reply, new RouteNotFoundError(request.method, request.url.split('?')[0] ?? '/'))
  })
}
