// ASP.NET Core ProblemDetails (RFC 9457) as the legacy system writes them: `type` points at the
// RFC 9110 section of the status, `title` is the reason phrase ASP.NET uses, `traceId` is a W3C
// trace id. We add `detail` and `code` (STUB_ERR_*) as extension members, which ASP.NET allows.
import { randomBytes } from 'node:crypto'
import type { FieldErrors } from './errors.js'

export interface ProblemDetails {
  type: string
  title: string
  status: number
  detail?: string
  code: string
  traceId: string
  errors?: FieldErrors
}

const RFC9110 = 'https://tools.ietf.org/html/rfc9110#section-'

const KNOWN: Record<number, [section: string, title: string]> = {
  400: ['15.5.1', 'One or more validation errors occurred.'],
  404: ['15.5.5', 'Not Found'],
  409: ['15.5.10', 'Conflict'],
  413: ['15.5.14', 'Payload Too Large'],
  415: ['15.5.16', 'Unsupported Media Type'],
  422: ['15.5.21', 'Unprocessable Entity'],
  500: ['15.6.1', 'An error occurred while processing your request.'],
  503: ['15.6.4', 'Service Unavailable']
}

const TRACEPARENT = /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/

/** A W3C trace id for the answer; an incoming `traceparent` keeps its trace, as ASP.NET does. */
export function traceIdFor (traceparent: string | undefined): string {
  const match = traceparent === undefined ? null : TRACEPARENT.exec(traceparent)
  const trace = match?.[1] ?? randomBytes(16).toString('hex')
  return `00-${trace}-${randomBytes(8).toString('hex')}-00`
}

export function problemDetails (input: {
  status: number, code: string, detail?: string, errors?: FieldErrors, traceId: string
}): ProblemDetails {
  const [section, title] = KNOWN[input.status] ?? ['15.6.1', 'An error occurred while processing your request.']
  const body: ProblemDetails = {
    type: `${RFC9110}${section}`,
    title,
    status: input.status,
    ...(input.detail === undefined ? {} : { detail: input.detail }),
    code: input.code,
    traceId: input.traceId
  }
  if (input.errors !== undefined) body.errors = input.errors
  return body
}
