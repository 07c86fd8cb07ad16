// One shadow call to either side, answered as a CapturedAnswer (status, headers, body text). The
// request was captured while the client's request was served (headers after hygiene, body
// buffered); these calls run after the client has its answer and never touch the client's reply.
import type { Dispatcher } from 'undici'
import type { CapturedAnswer } from './compare/compare-responses.js'
import type { LambdaInvoker } from '../targets/lambda-invoker.js'
import { toHttpApiEvent } from '../targets/lambda-event.js'
import { fromLambdaResult } from '../targets/lambda-response.js'

/** Every shadow call carries it, so the other side can tell a shadow from live traffic (and run dry). */
export const SHADOW_HEADER = 'x-gateway-shadow'

/** Larger answers are not compared (the comparison reports an error). */
export const MAX_CAPTURED_ANSWER_BYTES = 1024 * 1024

/** Logged (debug) and counted as a comparison `error`; never an answer to a client. */
export class AnswerTooLargeError extends Error {
  constructor (limit: number) { super(`answer larger than ${limit} bytes: not compared`) }
}

/** The client's request as the shadow side gets it. */
export interface ShadowRequest {
  method: string
  /** Normalised path (what the route matched on). */
  path: string
  /** Raw query string without '?'. */
  query: string
  /** Forwarded headers (header hygiene applied), lower-case names, x-gateway-shadow added. */
  headers: Record<string, string | string[]>
  /** The client's raw header lines (node's rawHeaders): the Lambda event joins repeats with `,`. */
  rawHeaders?: readonly string[] | undefined
  body: Buffer | undefined
  requestId: string
  params: Record<string, string>
  /** API Gateway style route key, `GET /api/users/{id}`. */
  routeKey: string
  sourceIp: string
  domainName: string
}

export interface LegacyTarget {
  dispatcher: Pick<Dispatcher, 'request'>
  /** legacy.url */
  url: string
  timeoutMs: number
}

export async function callLegacy (t: LegacyTarget, req: ShadowRequest, signal?: AbortSignal): Promise<CapturedAnswer> {
  const base = new URL(t.url)
  const headers: Record<string, string | string[]> = { ...req.headers, host: base.host }
  delete headers['transfer-encoding']
  if (req.body === undefined) delete headers['content-length']
  else headers['content-length'] = String(req.body.length)
  const path = base.pathname.replace(/\/+$/, '') + req.path + (req.query === '' ? '' : `?${req.query}`)
  const res = await t.dispatcher.request({
    method: req.method as Dispatcher.HttpMethod,
    path,
    headers,
    body: req.body,
    headersTimeout: t.timeoutMs,
    bodyTimeout: t.timeoutMs,
    ...(signal ? { signal } : {})
  })
  const body = await readCapped(res.body)
  return { status: res.statusCode, headers: res.headers, body }
}

async function readCapped (body: AsyncIterable<Buffer> & { destroy: () => unknown }): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += chunk.length
    if (size > MAX_CAPTURED_ANSWER_BYTES) {
      body.destroy()
      throw new AnswerTooLargeError(MAX_CAPTURED_ANSWER_BYTES)
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks, size).toString('utf8')
}

export interface LambdaTarget {
  invoker: LambdaInvoker
  functionName: string
  qualifier?: string | undefined
  context?: string | undefined
  timeoutMs: number
  stage: string
  now: () => number
}

export async function callLambda (t: LambdaTarget, req: ShadowRequest, signal?: AbortSignal): Promise<CapturedAnswer> {
  const event = toHttpApiEvent({
    method: req.method,
    rawPath: req.path,
    rawQueryString: req.query,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    body: req.body ?? Buffer.alloc(0),
    routeKey: req.routeKey,
    pathParameters: req.params,
    requestId: req.requestId,
    sourceIp: req.sourceIp,
    stage: t.stage,
    timeEpochMs: t.now(),
    domainName: req.domainName
  })
  const result = await t.invoker.invoke({
    functionName: t.functionName,
    ...(t.qualifier ? { qualifier: t.qualifier } : {}),
    ...(t.context ? { context: t.context } : {}),
    payload: Buffer.from(JSON.stringify(event)),
    timeoutMs: t.timeoutMs,
    // A shadow is never retried: one attempt, whatever the method.
    idempotent: false,
    ...(signal ? { signal } : {})
  })
  const mapped = fromLambdaResult(result.payload, t.functionName)
  if (mapped.body.length > MAX_CAPTURED_ANSWER_BYTES) throw new AnswerTooLargeError(MAX_CAPTURED_ANSWER_BYTES)
  return { status: mapped.statusCode, headers: mapped.headers, body: mapped.body.toString('utf8') }
}
