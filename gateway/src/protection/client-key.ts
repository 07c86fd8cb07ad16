// Which caller a request belongs to, for per-client rate limits. Pure (hashing aside).
// Sources: `ip`, `header:<name>` (e.g. an API key), `jwt:<claim>` (e.g. `jwt:sub`).
// A JWT is decoded WITHOUT verifying its signature, so `jwt:` is honoured only when the operator
// says a layer in front (API gateway, auth proxy) has verified the token (`trustJwt: true`);
// otherwise a caller could mint a new subject per request and escape its limit. Without a usable
// value the key falls back to the IP. Header values are hashed: API keys are secrets and must not
// sit in memory maps or logs in clear.
import { createHash } from 'node:crypto'

export type ClientKeySource = string

export interface ClientKeyInput {
  headers: Record<string, string | string[] | undefined>
  ip: string
}

export interface ClientKeyOptions {
  /** Honour `jwt:<claim>` (unverified decode). Default false: falls back to IP. */
  trustJwt?: boolean
}

export type ParsedKeySource =
  | { kind: 'ip' }
  | { kind: 'header', name: string }
  | { kind: 'jwt', claim: string }

export function parseClientKeySource (source: ClientKeySource): ParsedKeySource {
  if (source === 'ip') return { kind: 'ip' }
  const m = /^(header|jwt):([A-Za-z0-9_.-]+)$/.exec(source)
  if (!m?.[1] || !m[2]) throw new TypeError(`client key source must be ip, header:<name> or jwt:<claim>, got "${source}"`)
  return m[1] === 'header' ? { kind: 'header', name: m[2].toLowerCase() } : { kind: 'jwt', claim: m[2] }
}

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v)

const digest = (value: string): string => createHash('sha256').update(value).digest('base64url').slice(0, 22)

function jwtClaim (authorization: string | undefined, claim: string): string | undefined {
  const m = /^Bearer\s+([\w-]+)\.([\w-]+)\.[\w-]*$/i.exec(authorization ?? '')
  if (!m?.[2] || m[2].length > 8192) return undefined
  try {
    const payload = JSON.parse(Buffer.from(m[2], 'base64url').toString('utf8')) as Record<string, unknown>
    const value = payload[claim]
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined
  } catch {
    return undefined
  }
}

export function clientKey (source: ParsedKeySource, input: ClientKeyInput, options: ClientKeyOptions = {}): string {
  if (source.kind === 'header') {
    const value = first(input.headers[source.name])
    if (value) return `header:${digest(value)}`
  } else if (source.kind === 'jwt' && options.trustJwt === true) {
    const value = jwtClaim(first(input.headers.authorization), source.claim)
    if (value !== undefined) return `jwt:${digest(value)}`
  }
  return `ip:${input.ip}`
}
