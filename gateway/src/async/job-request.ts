// What is stored for an async job, pure: the request minus what must not be written to disk or
// replayed. The intake passes the headers a synchronous forward would send (forwardHeadersOf:
// client address rebuilt, internal and stripped headers gone, request id checked); this removes
// what must not sit in a queue. Hop-by-hop headers (and those named in Connection) belong to the
// client's connection; credentials (authorization, cookie, proxy-authorization, x-api-key,
// configured extras) must not sit in a queue file; content-length and host are recomputed at
// delivery; x-gateway-* are the gateway's own; idempotency-key is replaced by the delivery key.
import { createHash } from 'node:crypto'
import { withoutHopByHop } from '../http/header-hygiene.js'
import type { HeaderMap } from '../http/header-hygiene.js'

export const ALWAYS_SECRET = ['authorization', 'cookie', 'proxy-authorization', 'x-api-key'] as const
const NOT_STORED = new Set(['host', 'content-length', 'expect', 'idempotency-key'])

export interface StoredRequest {
  method: string
  /** Normalised path plus `?query` when there is one: exactly what legacy will be sent. */
  target: string
  headers: HeaderMap
  body: Buffer
}

export interface JobRequestInput {
  method: string
  path: string
  query: string
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

/** Builds the stored request; `secretHeaders` are extra names (any case) never stored. */
export function storedRequest (input: JobRequestInput, secretHeaders: readonly string[] = []): StoredRequest {
  const secrets = new Set([...ALWAYS_SECRET, ...secretHeaders.map(h => h.toLowerCase())])
  const headers = withoutHopByHop(input.headers, name =>
    secrets.has(name) || NOT_STORED.has(name) || name.startsWith('x-gateway-'))
  return {
    method: input.method.toUpperCase(),
    target: input.query === '' ? input.path : `${input.path}?${input.query}`,
    headers,
    body: input.body
  }
}

/** The client's Idempotency-Key, when it sent exactly one of 1..255 visible ASCII characters. */
export function clientIdempotencyKey (value: string | string[] | undefined): string | undefined | null {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(value)) return null
  return value
}

/**
 * The unique-index key of a client idempotency key: scoped by route and by the caller's
 * credentials (a digest, never the secret), so two principals that pick the same key never
 * share — or learn about — each other's job.
 */
export function idempotencyScope (routeId: string, key: string, credentials: string | undefined): string {
  return createHash('sha256').update(`${routeId}\n${credentials ?? ''}\n${key}`).digest('base64url')
}

/** Fingerprint of what a retried request must repeat exactly for the key to mean "the same write". */
export function requestFingerprint (req: StoredRequest): string {
  return createHash('sha256').update(`${req.method} ${req.target}\n`).update(req.body).digest('base64url')
}

/** Truncates legacy's answer body for storage (bytes; a cut multi-byte character is dropped). */
export function truncateBody (body: Buffer, limit: number): { text: string, truncated: boolean } {
  if (body.length <= limit) return { text: body.toString('utf8'), truncated: false }
  return { text: body.subarray(0, limit).toString('utf8').replace(/\uFFFD$/, ''), truncated: true }
}
