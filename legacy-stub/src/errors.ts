// Every STUB_ERR_* code of the legacy stub in one place (README.md, "Errors", lists them).
// The status is what the stub answers with; problem-details.ts turns any of these into an
// ASP.NET-style ProblemDetails body.
import createError from '@fastify/error'

/** ASP.NET ModelState shape: field name -> messages. */
export type FieldErrors = Record<string, string[]>

// --- startup ------------------------------------------------------------------------------
export const InvalidSettingError = createError<'STUB_ERR_INVALID_SETTING', 500, [string, string, string]>(
  'STUB_ERR_INVALID_SETTING', 'setting %s=%s is invalid: expected %s', 500)
export const SeedReadError = createError<'STUB_ERR_SEED_READ', 500, [string, string, ErrorOptions?]>(
  'STUB_ERR_SEED_READ', 'cannot read seed data %s: %s', 500)

// --- client errors ------------------------------------------------------------------------
export const ValidationError = createError<'STUB_ERR_VALIDATION', 400, []>(
  'STUB_ERR_VALIDATION', 'One or more validation errors occurred.', 400)
export const RouteNotFoundError = createError<'STUB_ERR_ROUTE_NOT_FOUND', 404, [string, string]>(
  'STUB_ERR_ROUTE_NOT_FOUND', 'No route matches %s %s.', 404)
export const EntityNotFoundError = createError<'STUB_ERR_NOT_FOUND', 404, [string, string]>(
  'STUB_ERR_NOT_FOUND', '%s %s was not found.', 404)
export const ProjectCodeTakenError = createError<'STUB_ERR_PROJECT_CODE_TAKEN', 409, [string]>(
  'STUB_ERR_PROJECT_CODE_TAKEN', 'A project with Code %s already exists.', 409)
export const PayloadTooLargeError = createError<'STUB_ERR_PAYLOAD_TOO_LARGE', 413, []>(
  'STUB_ERR_PAYLOAD_TOO_LARGE', 'The request body is too large.', 413)
export const UnsupportedMediaTypeError = createError<'STUB_ERR_UNSUPPORTED_MEDIA_TYPE', 415, [string]>(
  'STUB_ERR_UNSUPPORTED_MEDIA_TYPE', 'Content-Type %s is not supported; send application/json.', 415)
export const IdempotencyKeyReusedError = createError<'STUB_ERR_IDEMPOTENCY_KEY_REUSED', 422, [string]>(
  'STUB_ERR_IDEMPOTENCY_KEY_REUSED',
  'Idempotency-Key %s was already used with a different request body.', 422)

// --- the box falling over -----------------------------------------------------------------
export const QueueFullError = createError<'STUB_ERR_QUEUE_FULL', 503, [number]>(
  'STUB_ERR_QUEUE_FULL', 'Server too busy: %d requests are already waiting.', 503)
export const OverloadedError = createError<'STUB_ERR_OVERLOADED', 500, []>(
  'STUB_ERR_OVERLOADED', 'The server failed while overloaded (thread pool starvation).', 500)
export const FaultInjectedError = createError<'STUB_ERR_FAULT_INJECTED', 500, [number]>(
  'STUB_ERR_FAULT_INJECTED', 'Injected fault (errorRate %d).', 500)
export const DownError = createError<'STUB_ERR_DOWN', 503, [ErrorOptions?]>(
  'STUB_ERR_DOWN', 'The server went down while the request was queued.', 503)
export const InternalError = createError<'STUB_ERR_INTERNAL', 500, [ErrorOptions?]>(
  'STUB_ERR_INTERNAL', 'An error occurred while processing your request.', 500)

/** A 400 carrying ASP.NET-style field errors. */
export function validationError (errors: FieldErrors): InstanceType<typeof ValidationError> & { errors: FieldErrors } {
  return Object.assign(new ValidationError(), { errors })
}
export const BadRequestError = createError<'STUB_ERR_BAD_REQUEST', 400, [string]>(
  'STUB_ERR_BAD_REQUEST', '%s', 400)
