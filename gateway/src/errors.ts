// Every GW_ERR_* code of the gateway in one place. Each error carries a stable code, the HTTP
// status the gateway answers with, and `cause` where one exists (pass `{ cause }` as the last
// constructor argument). docs/errors.md documents every code with its status;
// test/unit/error-codes-documented.test.ts keeps the two in step.
import createError from '@fastify/error'

// --- config -------------------------------------------------------------------------------
export const ConfigInvalidError = createError<'GW_ERR_CONFIG_INVALID', 500, [string]>(
  'GW_ERR_CONFIG_INVALID', 'invalid gateway config: %s', 500)
export const ConfigReadError = createError<'GW_ERR_CONFIG_READ', 500, [string, string]>(
  'GW_ERR_CONFIG_READ', 'cannot read config file %s: %s', 500)

// --- routing ------------------------------------------------------------------------------
export const BadPathError = createError<'GW_ERR_ROUTING_BAD_PATH', 400, [string]>(
  'GW_ERR_ROUTING_BAD_PATH', 'the request path cannot be normalised safely: %s', 400)

// --- request limits -----------------------------------------------------------------------
export const PayloadTooLargeError = createError<'GW_ERR_REQUEST_PAYLOAD_TOO_LARGE', 413, [number]>(
  'GW_ERR_REQUEST_PAYLOAD_TOO_LARGE', 'request body exceeds the limit of %d bytes', 413)
export const RequestInvalidError = createError<'GW_ERR_REQUEST_INVALID', 400, [string]>(
  'GW_ERR_REQUEST_INVALID', 'the request cannot be processed: %s', 400)
// A body that ended early (client gone, broken framing) or came too slowly: nothing was forwarded.
export const RequestBodyIncompleteError = createError<'GW_ERR_REQUEST_BODY_INCOMPLETE', 400, [string]>(
  'GW_ERR_REQUEST_BODY_INCOMPLETE', 'the request body is incomplete: %s', 400, undefined, false)
export const RequestBodyTimeoutError = createError<'GW_ERR_REQUEST_BODY_TIMEOUT', 408, [number]>(
  'GW_ERR_REQUEST_BODY_TIMEOUT', 'the request body did not arrive within %d ms', 408, undefined, false)
export const RequestHeadersTooLargeError = createError<'GW_ERR_REQUEST_HEADERS_TOO_LARGE', 431, [string]>(
  'GW_ERR_REQUEST_HEADERS_TOO_LARGE', 'the request headers are too large: %s', 431, undefined, false)
export const InternalError = createError<'GW_ERR_INTERNAL', 500, [string]>(
  'GW_ERR_INTERNAL', 'unexpected gateway error: %s', 500)

// --- legacy upstream ----------------------------------------------------------------------
export const LegacyUnavailableError = createError<'GW_ERR_LEGACY_UNAVAILABLE', 502, [string]>(
  'GW_ERR_LEGACY_UNAVAILABLE', 'legacy backend unreachable: %s', 502)
export const LegacyTimeoutError = createError<'GW_ERR_LEGACY_TIMEOUT', 504, [number]>(
  'GW_ERR_LEGACY_TIMEOUT', 'legacy backend did not answer within %d ms', 504)

// --- lambda upstream ----------------------------------------------------------------------
export const LambdaFunctionError = createError<'GW_ERR_LAMBDA_FUNCTION_ERROR', 502, [string]>(
  'GW_ERR_LAMBDA_FUNCTION_ERROR', 'function %s failed', 502)
export const LambdaBadResponseError = createError<'GW_ERR_LAMBDA_BAD_RESPONSE', 502, [string]>(
  'GW_ERR_LAMBDA_BAD_RESPONSE', 'function %s returned a response the gateway cannot map', 502)
export const LambdaThrottledError = createError<'GW_ERR_LAMBDA_THROTTLED', 503, [string]>(
  'GW_ERR_LAMBDA_THROTTLED', 'function %s is throttled', 503)
export const LambdaTimeoutError = createError<'GW_ERR_LAMBDA_TIMEOUT', 504, [string, number]>(
  'GW_ERR_LAMBDA_TIMEOUT', 'function %s did not answer within %d ms', 504)
export const LambdaUnavailableError = createError<'GW_ERR_LAMBDA_UNAVAILABLE', 502, [string, string]>(
  'GW_ERR_LAMBDA_UNAVAILABLE', 'function %s could not be invoked: %s', 502)

// --- protection: shedding, rate limits, breakers ------------------------------------------
// Expected under overload, so no stack capture (last argument false): a burst of rejections
// must stay cheap. gateway/src/protection/rejection.ts attaches `reason` + `retryAfterSeconds`.
export const ShedQueueFullError = createError<'GW_ERR_SHED_QUEUE_FULL', 503, [string]>(
  'GW_ERR_SHED_QUEUE_FULL', 'upstream %s is at capacity and its wait queue is full', 503, undefined, false)
export const ShedQueueTimeoutError = createError<'GW_ERR_SHED_QUEUE_TIMEOUT', 503, [string, number]>(
  'GW_ERR_SHED_QUEUE_TIMEOUT', 'upstream %s had no free capacity within %d ms', 503, undefined, false)
export const ConcurrencyLimitError = createError<'GW_ERR_CONCURRENCY_LIMIT', 503, [string]>(
  'GW_ERR_CONCURRENCY_LIMIT', 'upstream %s is at its concurrency limit', 503, undefined, false)
export const RateLimitedError = createError<'GW_ERR_RATE_LIMITED', 429, [string]>(
  'GW_ERR_RATE_LIMITED', 'rate limit exceeded (%s)', 429, undefined, false)
export const BreakerOpenError = createError<'GW_ERR_BREAKER_OPEN', 503, [string]>(
  'GW_ERR_BREAKER_OPEN', 'circuit breaker %s is open', 503, undefined, false)

// --- ops: runtime state, audit, admin API -------------------------------------------------
export const StateCorruptError = createError<'GW_ERR_STATE_CORRUPT', 500, [string, string]>(
  'GW_ERR_STATE_CORRUPT', 'state file %s is corrupt: %s', 500)
export const StateWriteError = createError<'GW_ERR_STATE_WRITE', 500, [string, string]>(
  'GW_ERR_STATE_WRITE', 'cannot write state file %s: %s', 500)
export const AuditWriteError = createError<'GW_ERR_AUDIT_WRITE', 500, [string, string]>(
  'GW_ERR_AUDIT_WRITE', 'cannot append to audit log %s: %s', 500)
export const AdminTokenRequiredError = createError<'GW_ERR_ADMIN_TOKEN_REQUIRED', 500, [string]>(
  'GW_ERR_ADMIN_TOKEN_REQUIRED', 'refusing to start: %s', 500)
export const AdminUnauthorizedError = createError<'GW_ERR_ADMIN_UNAUTHORIZED', 401, [string]>(
  'GW_ERR_ADMIN_UNAUTHORIZED', 'admin API: %s', 401)
export const AdminValidationError = createError<'GW_ERR_ADMIN_VALIDATION', 400, [string]>(
  'GW_ERR_ADMIN_VALIDATION', 'invalid admin request: %s', 400)
export const AdminNotFoundError = createError<'GW_ERR_ADMIN_NOT_FOUND', 404, [string]>(
  'GW_ERR_ADMIN_NOT_FOUND', '%s', 404)
export const AdminReloadRefusedError = createError<'GW_ERR_ADMIN_RELOAD_REFUSED', 400, [string]>(
  'GW_ERR_ADMIN_RELOAD_REFUSED', 'config reload refused: %s', 400)
export const AdminStaleRouteError = createError<'GW_ERR_ADMIN_STALE', 412, [string, string, string]>(
  'GW_ERR_ADMIN_STALE', 'route "%s" changed since it was read (If-Match %s, now %s): read it again and retry', 412)
export const AdminCsrfError = createError<'GW_ERR_ADMIN_CSRF', 403, [string]>(
  'GW_ERR_ADMIN_CSRF', 'cockpit session: %s', 403)
export const AdminInternalError = createError<'GW_ERR_ADMIN_INTERNAL', 500, [string]>(
  'GW_ERR_ADMIN_INTERNAL', 'admin API internal error: %s', 500)

// --- async integration: durable job queue (gateway/src/async) -------------------------------
export const AsyncQueueFullError = createError<'GW_ERR_ASYNC_QUEUE_FULL', 503, [number]>(
  'GW_ERR_ASYNC_QUEUE_FULL', 'the job queue holds its limit of %d undelivered jobs', 503, undefined, false)
export const AsyncQueueWriteError = createError<'GW_ERR_ASYNC_QUEUE_WRITE', 503, [string]>(
  'GW_ERR_ASYNC_QUEUE_WRITE', 'the job could not be stored durably: %s', 503)
export const AsyncJobNotFoundError = createError<'GW_ERR_ASYNC_JOB_NOT_FOUND', 404, [string]>(
  'GW_ERR_ASYNC_JOB_NOT_FOUND', 'no job %s', 404, undefined, false)
export const AsyncIdempotencyMismatchError = createError<'GW_ERR_ASYNC_IDEMPOTENCY_MISMATCH', 422, [string]>(
  'GW_ERR_ASYNC_IDEMPOTENCY_MISMATCH', 'Idempotency-Key %s was already used with a different request', 422, undefined, false)
