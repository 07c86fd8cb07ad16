// The vendor adapter every handler.ts is built from: payload 2.0 event in, proxy result out.
// Order: envelope schema → route by method + presence of the path parameter (405 otherwise) →
// body (415/413/400) → request schema + extra checks (400) → the route's domain call.
// Nothing thrown ever leaves as a stack trace: FnError → its problem, anything else → 500.
import type { Static, TSchema } from '@sinclair/typebox'
import { Type } from '@sinclair/typebox'
import { FnError } from './errors.js'
import type { FieldError } from './errors.js'
import { HttpEventSchema } from './http-event.js'
import type { HttpEvent, LambdaContext } from './http-event.js'
import { readJsonBody } from './read-body.js'
import { problem } from './response.js'
import type { HttpResult } from './response.js'
import { compile } from './validate.js'
import { traceOf } from './trace-context.js'
import type { FunctionTrace } from './trace-context.js'

export interface RouteInfo {
  event: HttpEvent
  context: LambdaContext
  requestId: string | undefined
  /** The trace this invocation continues (trace-context.ts); pass it on with traceHeaders(). */
  trace: FunctionTrace | undefined
}

export interface Route {
  method: string
  /** true: answers only when the function's path parameter is present; false: only when absent. */
  withParam: boolean
  handle: (event: HttpEvent, info: RouteInfo) => Promise<HttpResult>
}

export interface RouteSpec<P extends TSchema, Q extends TSchema, B extends TSchema | undefined, H extends TSchema | undefined> {
  method: string
  withParam: boolean
  pathParameters: P
  queryStringParameters: Q
  /** A JSON body is read (and required) only when a schema is given; otherwise a body is an error. */
  body?: { schema: B, maxBytes: number }
  /** Headers (lower-case names) copied into the validated request; others are not looked at. */
  headers?: { names: string[], schema: H }
  checks?: (req: RequestOf<P, Q, B, H>) => FieldError[]
  /** Runs first, on the raw event: for refusals that must not depend on the body (e.g. loops). */
  guard?: (event: HttpEvent) => void
  run: (req: RequestOf<P, Q, B, H>, info: RouteInfo) => HttpResult | Promise<HttpResult>
}

export interface RequestOf<P extends TSchema, Q extends TSchema, B extends TSchema | undefined, H extends TSchema | undefined> {
  pathParameters: Static<P>
  queryStringParameters: Static<Q>
  body: B extends TSchema ? Static<B> : undefined
  headers: H extends TSchema ? Static<H> : undefined
}

export function defineRoute<P extends TSchema, Q extends TSchema, B extends TSchema | undefined = undefined, H extends TSchema | undefined = undefined> (
  spec: RouteSpec<P, Q, B, H>): Route {
  const shape: Record<string, TSchema> = { pathParameters: spec.pathParameters, queryStringParameters: spec.queryStringParameters }
  if (spec.body?.schema !== undefined) shape.body = spec.body.schema
  if (spec.headers?.schema !== undefined) shape.headers = spec.headers.schema
  const validator = compile(Type.Object(shape, { additionalProperties: false }))

  return {
    method: spec.method,
    withParam: spec.withParam,
    async handle (event, info) {
      spec.guard?.(event)
      const req: Record<string, unknown> = {
        pathParameters: event.pathParameters ?? {},
        queryStringParameters: event.queryStringParameters ?? {}
      }
      if (spec.body !== undefined) {
        req.body = readJsonBody(event, spec.body.maxBytes)
      } else if (event.body !== undefined && event.body !== '') {
        throw new FnError('FN_ERR_VALIDATION', 'the request is invalid', { errors: [{ path: '/body', message: 'Unexpected body' }] })
      }
      if (spec.headers !== undefined) {
        const picked: Record<string, string> = {}
        for (const name of spec.headers.names) {
          const value = event.headers?.[name]
          if (value !== undefined) picked[name] = value
        }
        req.headers = picked
      }
      const errors = validator.check(req) ? (spec.checks?.(req as unknown as RequestOf<P, Q, B, H>) ?? []) : validator.errors(req)
      if (errors.length > 0) throw new FnError('FN_ERR_VALIDATION', 'the request is invalid', { errors })
      return await spec.run(req as unknown as RequestOf<P, Q, B, H>, info)
    }
  }
}

export interface HttpHandlerOptions {
  /** The path parameter that tells "one item" from "the collection", e.g. `id`. */
  param: string
  routes: Route[]
}

const envelope = compile(HttpEventSchema)

export type HttpHandler = (event: unknown, context?: LambdaContext) => Promise<HttpResult>

export function createHttpHandler (opts: HttpHandlerOptions): HttpHandler {
  return async (raw, context = {}) => {
    let requestId: string | undefined
    let trace: FunctionTrace | undefined
    try {
      if (!envelope.check(raw)) {
        throw new FnError('FN_ERR_INVALID_EVENT', 'the event is not an API Gateway HTTP API payload 2.0 event', { errors: envelope.errors(raw) })
      }
      const event = raw as HttpEvent
      requestId = event.requestContext.requestId
      trace = traceOf(event.headers, process.env)
      const withParam = event.pathParameters?.[opts.param] !== undefined
      const method = event.requestContext.http.method.toUpperCase()
      const candidates = opts.routes.filter(r => r.withParam === withParam)
      const route = candidates.find(r => r.method === method)
      if (route === undefined) {
        const allow = candidates.map(r => r.method).join(', ')
        throw new FnError('FN_ERR_METHOD_NOT_ALLOWED', `${method} is not allowed here; allowed: ${allow === '' ? 'none' : allow}`, { headers: { allow } })
      }
      return await route.handle(event, { event, context, requestId, trace })
    } catch (err) {
      if (err instanceof FnError) return problem(err, requestId)
      // the caller gets a code and the request id; the stack goes to the function's log only
      console.error(JSON.stringify({ level: 'error', code: 'FN_ERR_INTERNAL', requestId, traceId: trace?.traceId, message: (err as Error)?.message, stack: (err as Error)?.stack }))
      return problem(new FnError('FN_ERR_INTERNAL', 'an unexpected error occurred; the request id is in the function log'), requestId)
    }
  }
}
