// Function result → HTTP response, by the payload format 2.0 rules (pure: no I/O, no SDK).
// - A JSON object with `statusCode`: use `statusCode`, `headers`, `cookies` (each one a
//   `set-cookie`), `body` (a string; base64 when `isBase64Encoded: true`). `multiValueHeaders` is
//   a format 1.0 field that API Gateway ignores for 2.0: it is ignored here too (and reported in
//   `ignored`), so a function relying on it fails here as it would behind API Gateway.
// - Any other valid JSON (an object without `statusCode`, a bare string/number/array/boolean/null):
//   200, `content-type: application/json`, and the result as the body — a bare JSON string is sent
//   as its value (AWS: `"Hello"` → body `Hello`), anything else as the JSON text the function sent.
// - Everything the function controls is validated, because it ends up in our HTTP response: an
//   invalid status, a header name that is not a token, a value with CR/LF/NUL (header injection /
//   response splitting), a non-string body or bad base64 throw LambdaBadResponseError (→ 502).
// - Hop-by-hop headers (and the ones named in `connection`) are dropped, and so is
//   `content-length`: the gateway frames the body it actually sends.
import { LambdaBadResponseError } from '../errors.js'
import { withCause } from './lambda-invoke-errors.js'
import type { MappedLambdaResponse } from './lambda-types.js'

export type { MappedLambdaResponse } from './lambda-types.js'

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
// what node's http module accepts in a header value: HTAB, SP, VCHAR, obs-text — no CR, LF, NUL
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization',
  'te', 'trailer', 'transfer-encoding', 'upgrade', 'content-length'
])

// Format 1.0 response fields that API Gateway ignores in a 2.0 result.
const IGNORED_FIELDS = ['multiValueHeaders'] as const

function bad (functionName: string, reason: string): Error {
  const err = withCause(new LambdaBadResponseError(functionName), new Error(reason))
  return Object.assign(err, { reason })
}

function headerValue (fn: string, name: string, value: unknown): string {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw bad(fn, `header ${name}: value must be a string, number or boolean`)
  }
  const s = String(value)
  if (!FIELD_VALUE.test(s)) throw bad(fn, `header ${name}: value contains forbidden characters`)
  return s
}

function headerName (fn: string, name: string): string {
  if (!TOKEN.test(name)) throw bad(fn, `header name ${JSON.stringify(name)} is not a valid token`)
  return name.toLowerCase()
}

function isRecord (v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function collectHeaders (fn: string, result: Record<string, unknown>): Map<string, string[]> {
  const out = new Map<string, string[]>()
  const { headers, cookies } = result
  if (headers !== undefined && headers !== null) {
    if (!isRecord(headers)) throw bad(fn, 'headers must be an object')
    for (const [name, value] of Object.entries(headers)) {
      const key = headerName(fn, name)
      out.set(key, [...(out.get(key) ?? []), headerValue(fn, name, value)])
    }
  }
  if (cookies !== undefined && cookies !== null) {
    if (!Array.isArray(cookies)) throw bad(fn, 'cookies must be an array of strings')
    const set = cookies.map(c => {
      if (typeof c !== 'string') throw bad(fn, 'cookies must be an array of strings')
      return headerValue(fn, 'set-cookie', c)
    })
    out.set('set-cookie', [...(out.get('set-cookie') ?? []), ...set])
  }
  return out
}

function dropHopByHop (headers: Map<string, string[]>): Record<string, string | string[]> {
  const named = (headers.get('connection') ?? [])
    .flatMap(v => v.split(',')).map(t => t.trim().toLowerCase()).filter(t => t !== '')
  const out = new Map<string, string | string[]>()
  for (const [key, values] of headers) {
    if (HOP_BY_HOP.has(key) || named.includes(key)) continue
    // set-cookie must stay one header per cookie; other repeated headers are list-valued
    out.set(key, key === 'set-cookie' ? values : values.length === 1 ? values[0] as string : values)
  }
  return Object.fromEntries(out) // own properties only, even for a header named __proto__
}

function decodeBody (fn: string, body: unknown, isBase64Encoded: unknown): Buffer {
  if (isBase64Encoded !== undefined && isBase64Encoded !== null && typeof isBase64Encoded !== 'boolean') {
    throw bad(fn, 'isBase64Encoded must be a boolean')
  }
  if (body === undefined || body === null) return Buffer.alloc(0)
  if (typeof body !== 'string') throw bad(fn, 'body must be a string')
  if (isBase64Encoded !== true) return Buffer.from(body, 'utf8')
  const compact = body.replace(/\s+/g, '')
  if (!BASE64.test(compact)) throw bad(fn, 'body is not valid base64')
  return Buffer.from(compact, 'base64')
}

/**
 * Map a function's result payload (the Invoke API's response body) to the HTTP response.
 * @param functionName only for the error message.
 * @throws LambdaBadResponseError (502) when the result cannot be mapped safely; `err.reason` says why.
 */
export function fromLambdaResult (payload: Uint8Array | string, functionName = 'unknown'): MappedLambdaResponse {
  const text = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8')
  let result: unknown
  try {
    result = JSON.parse(text)
  } catch {
    throw bad(functionName, 'the result is not valid JSON')
  }

  if (!isRecord(result) || !('statusCode' in result)) {
    const body = typeof result === 'string' ? result : text
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body, 'utf8') }
  }

  const { statusCode } = result
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 200 || statusCode > 599) {
    throw bad(functionName, `statusCode ${JSON.stringify(statusCode)} is not an integer in 200..599`)
  }
  const headers = dropHopByHop(collectHeaders(functionName, result))
  const body = decodeBody(functionName, result.body, result.isBase64Encoded)
  const ignored = IGNORED_FIELDS.filter(f => result[f] !== undefined && result[f] !== null)
  return { statusCode, headers, body, ...(ignored.length > 0 ? { ignored } : {}) }
}
