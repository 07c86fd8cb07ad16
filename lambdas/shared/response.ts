// Proxy responses (payload format 2.0) and the problem+json family the gateway also speaks.
import type { FieldError, FnError } from './errors.js'

export interface HttpResult {
  statusCode: number
  headers: Record<string, string>
  body: string
}

export const JSON_TYPE = 'application/json; charset=utf-8'
export const PROBLEM_TYPE = 'application/problem+json'

export function json (statusCode: number, value: unknown, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: { 'content-type': JSON_TYPE, ...headers }, body: JSON.stringify(value) }
}

export interface ProblemBody {
  type: string
  title: string
  status: number
  detail: string
  code: string
  requestId?: string
  errors?: FieldError[]
}

/** `type` is a stable URN per code (never dereferenced), like the gateway's `urn:strangler-gateway:…`. */
export function problemType (code: string): string {
  return `urn:strangler-fn:problem:${code.toLowerCase().replace(/^fn_err_/, '').replace(/_/g, '-')}`
}

export function problem (err: FnError, requestId: string | undefined): HttpResult {
  const body: ProblemBody = {
    type: problemType(err.code),
    title: err.title,
    status: err.status,
    detail: err.message,
    code: err.code,
    ...(requestId !== undefined ? { requestId } : {}),
    ...(err.errors !== undefined ? { errors: err.errors } : {})
  }
  return { statusCode: err.status, headers: { 'content-type': PROBLEM_TYPE, ...err.headers }, body: JSON.stringify(body) }
}
