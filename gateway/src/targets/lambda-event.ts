// HTTP request → API Gateway HTTP API event, payload format 2.0 (pure: no I/O, no SDK).
// Field by field as AWS documents it ("Working with AWS Lambda proxy integrations for HTTP APIs"),
// so a function behaves the same behind this gateway and behind API Gateway:
// - duplicate headers and repeated query keys are joined with `,` (no space). Node's
//   `request.headers` joins a repeated header with `, `, so the raw header list (when given)
//   says which values were separate lines;
// - the cookie header moves to `cookies` (one entry per `name=value` pair) and leaves `headers`;
// - `queryStringParameters` and `pathParameters` are omitted when empty, `cookies` when absent;
//   a trailing `*` route segment is `{proxy+}` in `routeKey` and `proxy` in `pathParameters`;
// - the body is utf-8 text only when it is textual (see isTextualContentType) AND valid utf-8,
//   else base64 with `isBase64Encoded: true` — a body is never transcoded lossily.
import { isIP } from 'node:net'
import type { HttpApiEventV2 } from './lambda-types.js'

export type { HttpApiEventV2 } from './lambda-types.js'

export interface LambdaRequestInput {
  method: string
  /** The normalised path (what the route matched on). */
  rawPath: string
  /** Without the leading '?'; '' when there is none. */
  rawQueryString: string
  /** node's IncomingHttpHeaders (after header hygiene). */
  headers: Record<string, string | string[] | undefined>
  /** node's `rawHeaders` (name, value, name, value…) of the client's request: a header node
   * joined from repeated lines (`a, b`) is re-joined as API Gateway does (`a,b`). */
  rawHeaders?: readonly string[] | undefined
  body: Buffer | undefined
  /** The peer's IP; anything else (no peer: the socket is gone) becomes `0.0.0.0`. */
  sourceIp: string
  /** Defaults to the user-agent header. */
  userAgent?: string
  /** e.g. 'GET /api/users/{id}' */
  routeKey: string
  pathParameters: Record<string, string>
  stage: string
  requestId: string
  timeEpochMs: number
  domainName: string
  /** Default '123456789012' (the placeholder AWS docs and SAM local use). */
  accountId?: string
  /** Default 'gateway'. */
  apiId?: string
  /** Default 'HTTP/1.1'. */
  protocol?: string
}

const UNKNOWN_SOURCE_IP = '0.0.0.0'
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** `dd/MMM/yyyy:HH:mm:ss +0000` in UTC, e.g. `12/Mar/2020:19:03:58 +0000`. */
export function formatRequestTime (epochMs: number): string {
  const d = new Date(epochMs)
  const p = (n: number): string => String(n).padStart(2, '0')
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`
}

/**
 * The textual rule: text/*, JSON and XML (incl. `+json`/`+xml` suffixes), form-urlencoded,
 * javascript, graphql, yaml, csv — and only when no charset other than utf-8/us-ascii is declared.
 * No content-type at all counts as binary (we cannot know). Everything else is base64.
 */
export function isTextualContentType (contentType: string | undefined): boolean {
  if (contentType === undefined || contentType.trim() === '') return false
  const [mediaRaw, ...params] = contentType.split(';')
  const media = (mediaRaw ?? '').trim().toLowerCase()
  for (const param of params) {
    const [k, v] = param.split('=')
    if (k?.trim().toLowerCase() === 'charset') {
      const charset = (v ?? '').trim().replace(/^"|"$/g, '').toLowerCase()
      if (!['utf-8', 'utf8', 'us-ascii', 'ascii'].includes(charset)) return false
    }
  }
  if (media.startsWith('text/')) return true
  if (/^application\/([\w.-]+\+)?(json|xml)$/.test(media)) return true
  return [
    'application/x-www-form-urlencoded', 'application/javascript', 'application/graphql',
    'application/yaml', 'application/x-yaml', 'application/csv', 'application/x-ndjson'
  ].includes(media)
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

function encodeBody (body: Buffer | undefined, contentType: string | undefined): { body?: string, isBase64Encoded: boolean } {
  if (body === undefined || body.length === 0) return { isBase64Encoded: false }
  if (isTextualContentType(contentType)) {
    try {
      return { body: utf8.decode(body), isBase64Encoded: false }
    } catch {
      // declared textual but not valid utf-8: keep the bytes exact
    }
  }
  return { body: body.toString('base64'), isBase64Encoded: true }
}

function splitCookies (value: string | string[] | undefined): string[] {
  if (value === undefined) return []
  const all = Array.isArray(value) ? value : [value]
  return all.flatMap(v => v.split(/;\s*/)).map(c => c.trim()).filter(c => c !== '')
}

/** Lower-case name → the values of its lines; undefined when no name repeats (the usual request:
 * nothing to re-join). */
function repeatedLines (raw: readonly string[] | undefined): Map<string, string[]> | undefined {
  if (raw === undefined) return undefined
  const all = new Map<string, string[]>()
  let repeats = false
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const key = (raw[i] as string).toLowerCase()
    const seen = all.get(key)
    if (seen === undefined) all.set(key, [raw[i + 1] as string])
    else { seen.push(raw[i + 1] as string); repeats = true }
  }
  return repeats ? all : undefined
}

// Only a value that is exactly node's `, ` join of the repeated lines is re-joined: a value header
// hygiene rewrote (x-forwarded-for behind a trusted proxy) or node kept one of (content-type,
// user-agent, host… keep the first line) stays what it is.
function apiGatewayJoin (value: string, lines: string[] | undefined): string {
  return lines !== undefined && lines.length > 1 && value === lines.join(', ') ? lines.join(',') : value
}

// Maps, then Object.fromEntries: a key like `__proto__` becomes an own property, never a prototype.
function lowerCaseHeaders (headers: LambdaRequestInput['headers'], raw: readonly string[] | undefined): Record<string, string> {
  const out = new Map<string, string>()
  const repeated = repeatedLines(raw)
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    const key = name.toLowerCase()
    if (key === 'cookie') continue
    const joined = Array.isArray(value) ? value.join(',') : apiGatewayJoin(value, repeated?.get(key))
    const prev = out.get(key)
    out.set(key, prev === undefined ? joined : `${prev},${joined}`)
  }
  return Object.fromEntries(out)
}

function decodeComponent (s: string): string {
  // '+' is a space in form-encoded query strings; a malformed %-escape is kept as written.
  const spaced = s.replace(/\+/g, ' ')
  try {
    return decodeURIComponent(spaced)
  } catch {
    return spaced
  }
}

/** `a=1&a=2&b` → `{ a: '1,2', b: '' }` (decoded); undefined when there is nothing. */
export function parseQueryString (raw: string): Record<string, string> | undefined {
  const out = new Map<string, string>()
  for (const part of raw.replace(/^\?/, '').split('&')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    const key = decodeComponent(eq === -1 ? part : part.slice(0, eq))
    const value = eq === -1 ? '' : decodeComponent(part.slice(eq + 1))
    const prev = out.get(key)
    out.set(key, prev === undefined ? value : `${prev},${value}`)
  }
  return out.size > 0 ? Object.fromEntries(out) : undefined
}

/** The route's trailing `*` is `{proxy+}` in the route key, so its value is named `proxy`, as
 * API Gateway names a greedy path variable after itself. */
function apiGatewayParams (params: Record<string, string>): Record<string, string> {
  const out = new Map(Object.entries(params))
  const rest = out.get('*')
  if (rest !== undefined) {
    out.delete('*')
    out.set('proxy', rest)
  }
  return Object.fromEntries(out)
}

export function toHttpApiEvent (req: LambdaRequestInput): HttpApiEventV2 {
  const headers = lowerCaseHeaders(req.headers, req.rawHeaders)
  const cookieHeader = Object.entries(req.headers)
    .filter(([name]) => name.toLowerCase() === 'cookie')
    .flatMap(([, v]) => splitCookies(v))
  const query = parseQueryString(req.rawQueryString)
  const { body, isBase64Encoded } = encodeBody(req.body, headers['content-type'])
  const domainPrefix = req.domainName.split('.')[0] ?? req.domainName

  const event: HttpApiEventV2 = {
    version: '2.0',
    routeKey: req.routeKey,
    rawPath: req.rawPath,
    rawQueryString: req.rawQueryString.replace(/^\?/, ''),
    ...(cookieHeader.length > 0 ? { cookies: cookieHeader } : {}),
    headers,
    ...(query !== undefined ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: req.accountId ?? '123456789012',
      apiId: req.apiId ?? 'gateway',
      domainName: req.domainName,
      domainPrefix,
      http: {
        method: req.method.toUpperCase(),
        path: req.rawPath,
        protocol: req.protocol ?? 'HTTP/1.1',
        // API Gateway always has an IP here (functions validate it as one: Powertools' schema does).
        sourceIp: isIP(req.sourceIp) === 0 ? UNKNOWN_SOURCE_IP : req.sourceIp,
        userAgent: req.userAgent ?? headers['user-agent'] ?? ''
      },
      requestId: req.requestId,
      routeKey: req.routeKey,
      stage: req.stage,
      time: formatRequestTime(req.timeEpochMs),
      timeEpoch: req.timeEpochMs
    },
    ...(Object.keys(req.pathParameters).length > 0 ? { pathParameters: apiGatewayParams(req.pathParameters) } : {}),
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded
  }
  return event
}
