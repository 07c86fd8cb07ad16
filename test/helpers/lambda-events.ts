// Lambda test helpers: payload 2.0 event fixtures from test/fixtures/events/, variations of them,
// and the exact problem+json body a function must answer with (written out here, independently
// of lambdas/shared, so a test fails when the wire shape drifts).
import { readFileSync } from 'node:fs'

export interface FixtureEvent {
  version: '2.0'
  routeKey: string
  rawPath: string
  rawQueryString: string
  headers: Record<string, string>
  queryStringParameters?: Record<string, string>
  pathParameters?: Record<string, string>
  requestContext: { requestId: string, http: { method: string, [k: string]: unknown }, [k: string]: unknown }
  body?: string
  isBase64Encoded: boolean
}

export interface LambdaResult {
  statusCode: number
  headers: Record<string, string>
  body: string
}

const dir = new URL('../fixtures/events/', import.meta.url)

/** A fresh copy of `test/fixtures/events/<name>.json`. */
export function loadEvent (name: string): FixtureEvent {
  return JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')) as FixtureEvent
}

/** The fixture with its JSON body replaced (or merged with `merge`). */
export function withBody (event: FixtureEvent, body: unknown): FixtureEvent {
  return { ...event, isBase64Encoded: false, body: typeof body === 'string' ? body : JSON.stringify(body) }
}

export function bodyOf (event: FixtureEvent): Record<string, unknown> {
  const text = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : event.body ?? ''
  return JSON.parse(text) as Record<string, unknown>
}

export function withMethod (event: FixtureEvent, method: string): FixtureEvent {
  return { ...event, requestContext: { ...event.requestContext, http: { ...event.requestContext.http, method } } }
}

export function withPathParameters (event: FixtureEvent, params: Record<string, string> | undefined): FixtureEvent {
  const { pathParameters: _drop, ...rest } = event
  return params === undefined ? rest : { ...rest, pathParameters: params }
}

export function jsonOf (result: LambdaResult): unknown {
  return JSON.parse(result.body)
}

const TITLES: Record<string, [number, string, string]> = {
  FN_ERR_INVALID_EVENT: [400, 'Invalid event', 'invalid-event'],
  FN_ERR_VALIDATION: [400, 'Validation failed', 'validation'],
  FN_ERR_MALFORMED_JSON: [400, 'Malformed JSON body', 'malformed-json'],
  FN_ERR_NOT_FOUND: [404, 'Not found', 'not-found'],
  FN_ERR_METHOD_NOT_ALLOWED: [405, 'Method not allowed', 'method-not-allowed'],
  FN_ERR_CONFLICT: [409, 'Conflict', 'conflict'],
  FN_ERR_BODY_TOO_LARGE: [413, 'Body too large', 'body-too-large'],
  FN_ERR_UNSUPPORTED_MEDIA_TYPE: [415, 'Unsupported media type', 'unsupported-media-type'],
  FN_ERR_INTERNAL: [500, 'Internal error', 'internal'],
  FN_ERR_LOOP_DETECTED: [508, 'Loop detected', 'loop-detected'],
  FN_ERR_UPSTREAM_REJECTED: [0, 'Upstream rejected the request', 'upstream-rejected'],
  FN_ERR_UPSTREAM_FAILED: [502, 'Upstream failed', 'upstream-failed'],
  FN_ERR_UPSTREAM_UNREACHABLE: [502, 'Upstream unreachable', 'upstream-unreachable'],
  FN_ERR_UPSTREAM_BAD_RESPONSE: [502, 'Upstream sent an unusable response', 'upstream-bad-response'],
  FN_ERR_UPSTREAM_TIMEOUT: [504, 'Upstream timed out', 'upstream-timeout']
}

/** The whole problem+json body expected for `code`. */
export function problemBody (code: string, detail: string, opts: {
  requestId?: string, errors?: Array<{ path: string, message: string }>, status?: number
} = {}): Record<string, unknown> {
  const known = TITLES[code]
  if (known === undefined) throw new Error(`unknown code ${code}`)
  const [status, title, slug] = known
  return {
    type: `urn:strangler-fn:problem:${slug}`,
    title,
    status: opts.status ?? status,
    detail,
    code,
    ...(opts.requestId !== undefined ? { requestId: opts.requestId } : {}),
    ...(opts.errors !== undefined ? { errors: opts.errors } : {})
  }
}

/** A validation problem (400) with exactly these field errors. */
export function validationBody (requestId: string, errors: Array<{ path: string, message: string }>): Record<string, unknown> {
  return problemBody('FN_ERR_VALIDATION', 'the request is invalid', { requestId, errors })
}
