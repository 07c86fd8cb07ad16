// Every FN_ERR_* code the functions answer with, in one place: status and title per code, so
// a handler throws a code and never invents a status. Documented in lambdas/README.md.

export interface FieldError {
  /** JSON pointer into the validated request, e.g. `/body/name` or `/pathParameters/id`. */
  path: string
  message: string
}

export const FN_ERRORS = {
  FN_ERR_INVALID_EVENT: { status: 400, title: 'Invalid event' },
  FN_ERR_VALIDATION: { status: 400, title: 'Validation failed' },
  FN_ERR_MALFORMED_JSON: { status: 400, title: 'Malformed JSON body' },
  FN_ERR_NOT_FOUND: { status: 404, title: 'Not found' },
  FN_ERR_METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  FN_ERR_CONFLICT: { status: 409, title: 'Conflict' },
  FN_ERR_BODY_TOO_LARGE: { status: 413, title: 'Body too large' },
  FN_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  FN_ERR_INTERNAL: { status: 500, title: 'Internal error' },
  FN_ERR_LOOP_DETECTED: { status: 508, title: 'Loop detected' },
  FN_ERR_UPSTREAM_REJECTED: { status: 0, title: 'Upstream rejected the request' },
  FN_ERR_UPSTREAM_FAILED: { status: 502, title: 'Upstream failed' },
  FN_ERR_UPSTREAM_UNREACHABLE: { status: 502, title: 'Upstream unreachable' },
  FN_ERR_UPSTREAM_BAD_RESPONSE: { status: 502, title: 'Upstream sent an unusable response' },
  FN_ERR_UPSTREAM_TIMEOUT: { status: 504, title: 'Upstream timed out' }
} as const

export type FnErrorCode = keyof typeof FN_ERRORS

export interface FnErrorOptions {
  errors?: FieldError[]
  /** Overrides the code's status (FN_ERR_UPSTREAM_REJECTED passes the upstream 4xx through). */
  status?: number
  headers?: Record<string, string>
  cause?: unknown
}

/** A failure the caller should see as problem+json. Anything else thrown becomes FN_ERR_INTERNAL. */
export class FnError extends Error {
  readonly code: FnErrorCode
  readonly status: number
  readonly title: string
  readonly errors: FieldError[] | undefined
  readonly headers: Record<string, string>

  constructor (code: FnErrorCode, detail: string, opts: FnErrorOptions = {}) {
    super(detail, { cause: opts.cause })
    this.name = 'FnError'
    this.code = code
    this.status = opts.status ?? FN_ERRORS[code].status
    this.title = FN_ERRORS[code].title
    this.errors = opts.errors
    this.headers = opts.headers ?? {}
  }
}
