// SDK / transport failures of an Invoke → the gateway's typed errors (gateway/src/errors.ts),
// always with `{ cause }`. Messages carry the function name and a short classification only —
// never the upstream's message text (addresses, internals); the full error stays in `cause`.
//
//   what happened                                   error                      status
//   FunctionError (Unhandled / Handled)             LambdaFunctionError        502  (+ errorType, errorMessage, report)
//   TooManyRequestsException, EC2ThrottledException,
//   other throttles, HTTP 429                       LambdaThrottledError       503  (+ retryAfterSeconds)
//   gateway timeout (our AbortController)           LambdaTimeoutError         504
//   RequestTooLargeException                        PayloadTooLargeError       413
//   ResourceNotFoundException, any other service
//   error, connection refused/reset, DNS, caller
//   aborted                                         LambdaUnavailableError     502
import {
  LambdaFunctionError, LambdaThrottledError, LambdaTimeoutError, LambdaUnavailableError,
  PayloadTooLargeError
} from '../errors.js'
import type { LambdaReport } from './lambda-types.js'

/** Lambda's synchronous invocation payload limit (request and response). */
export const LAMBDA_PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024

/**
 * Attach `cause`. errors.ts's constructor tuples do not type the trailing `{ cause }` option
 * @fastify/error accepts, so it is set here; the effect is the same.
 */
export function withCause<E extends Error> (err: E, cause: unknown): E {
  err.cause = cause
  return err
}

const THROTTLES = new Set([
  'TooManyRequestsException', 'EC2ThrottledException', 'ThrottlingException', 'Throttling',
  'ThrottledException', 'RequestLimitExceeded', 'RequestThrottled', 'RequestThrottledException',
  'ProvisionedThroughputExceededException', 'LimitExceededException'
])

export type LambdaFunctionErrorInstance = InstanceType<typeof LambdaFunctionError> & {
  functionName: string
  /** 'Unhandled' | 'Handled' (X-Amz-Function-Error). */
  functionError: string
  /** From the function's error payload — for logs only, never for the client body. */
  errorType?: string
  errorMessage?: string
  report?: LambdaReport
  durationMs: number
}
export type LambdaThrottledErrorInstance = InstanceType<typeof LambdaThrottledError> & {
  functionName: string
  /** From Retry-After when the service sent one. */
  retryAfterSeconds?: number
}

interface SdkLikeError {
  name?: string
  code?: string
  retryAfterSeconds?: string
  $metadata?: { httpStatusCode?: number }
  $response?: { headers?: Record<string, string | undefined> }
}

function retryAfter (err: SdkLikeError): number | undefined {
  const raw = err.retryAfterSeconds ?? err.$response?.headers?.['retry-after']
  if (raw === undefined) return undefined
  const n = Number(raw)
  return Number.isFinite(n) && n >= 0 ? Math.ceil(n) : undefined
}

export function functionErrorFrom (
  functionName: string, functionError: string, payload: Uint8Array, report: LambdaReport | undefined,
  durationMs: number
): LambdaFunctionErrorInstance {
  let errorType: string | undefined
  let errorMessage: string | undefined
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload).toString('utf8'))
    if (typeof parsed === 'object' && parsed !== null) {
      const p = parsed as { errorType?: unknown, errorMessage?: unknown }
      if (typeof p.errorType === 'string') errorType = p.errorType
      if (typeof p.errorMessage === 'string') errorMessage = p.errorMessage
    }
  } catch {
    // a function may fail with a non-JSON payload; the type from the header is enough
  }
  const cause = new Error(`${errorType ?? functionError}: ${errorMessage ?? '(no message)'}`)
  const err = withCause(new LambdaFunctionError(functionName), cause)
  return Object.assign(err, {
    functionName,
    functionError,
    ...(errorType !== undefined ? { errorType } : {}),
    ...(errorMessage !== undefined ? { errorMessage } : {}),
    ...(report !== undefined ? { report } : {}),
    durationMs
  })
}

export interface FailureContext {
  functionName: string
  timeoutMs: number
  /** Our timer fired. */
  timedOut: boolean
  /** The caller's signal fired (e.g. the client went away). */
  callerAborted: boolean
}

export function mapInvokeFailure (cause: unknown, ctx: FailureContext): Error {
  const { functionName: fn } = ctx
  if (ctx.timedOut) return withCause(new LambdaTimeoutError(fn, ctx.timeoutMs), cause)
  if (ctx.callerAborted) return withCause(new LambdaUnavailableError(fn, 'aborted by the caller'), cause)
  const err = (typeof cause === 'object' && cause !== null ? cause : {}) as SdkLikeError
  const name = err.name ?? 'Error'
  if (THROTTLES.has(name) || err.$metadata?.httpStatusCode === 429) {
    const throttled = withCause(new LambdaThrottledError(fn), cause)
    const seconds = retryAfter(err)
    return Object.assign(throttled, { functionName: fn, ...(seconds !== undefined ? { retryAfterSeconds: seconds } : {}) })
  }
  if (name === 'RequestTooLargeException') return withCause(new PayloadTooLargeError(LAMBDA_PAYLOAD_LIMIT_BYTES), cause)
  if (name === 'ResourceNotFoundException') return withCause(new LambdaUnavailableError(fn, 'function not found'), cause)
  if (err.code !== undefined && /^E[A-Z_]+$/.test(err.code)) {
    return withCause(new LambdaUnavailableError(fn, `transport error ${err.code}`), cause)
  }
  const status = err.$metadata?.httpStatusCode
  const what = status !== undefined ? `${name} (HTTP ${status})` : name
  return withCause(new LambdaUnavailableError(fn, what), cause)
}
