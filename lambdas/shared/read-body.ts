// The body of a write: JSON only, bounded in size, base64 decoded when API Gateway encoded it.
// Throws FnError; the schema check of the parsed value comes after.
import { FnError } from './errors.js'
import type { HttpEvent } from './http-event.js'

export function readJsonBody (event: HttpEvent, maxBytes: number): unknown {
  const contentType = (event.headers?.['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  if (contentType !== '' && !/^application\/([\w.-]+\+)?json$/.test(contentType)) {
    throw new FnError('FN_ERR_UNSUPPORTED_MEDIA_TYPE', `content-type must be application/json, got ${contentType}`)
  }
  const raw = event.body ?? ''
  const bytes = event.isBase64Encoded === true ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8')
  if (bytes.length > maxBytes) {
    throw new FnError('FN_ERR_BODY_TOO_LARGE', `body is ${bytes.length} bytes, the limit is ${maxBytes}`)
  }
  if (bytes.length === 0) {
    throw new FnError('FN_ERR_VALIDATION', 'the request has no body', { errors: [{ path: '/body', message: 'Expected a JSON object' }] })
  }
  try {
    return JSON.parse(bytes.toString('utf8'))
  } catch (err) {
    // the parser's wording changes between Node versions: keep the detail stable, the cause for logs
    throw new FnError('FN_ERR_MALFORMED_JSON', 'the body is not valid JSON', { cause: err })
  }
}
