// Sticky-key extraction for the rollout: which request attribute keeps a user on one side.
// `stickyBy` is `header:<name>`, `cookie:<name>`, `ip` or `jwt:sub`. Pure: takes the headers
// and the client ip the app already resolved (trusted-proxy aware), returns a string or undefined.
//
// `jwt:sub` decodes the JWT payload WITHOUT verifying the signature. That is acceptable because
// the key only picks a hash bucket: a client forging a `sub` can at most choose which side
// answers it, which it can equally do by sending a different user-id header or no key at all
// (random side). Authorisation stays with the legacy system and the Lambdas, which verify tokens.

export type StickySpec =
  | { kind: 'header', name: string }
  | { kind: 'cookie', name: string }
  | { kind: 'ip' }
  | { kind: 'jwt-sub' }

export interface StickySource {
  headers: Record<string, string | string[] | undefined>
  ip: string | undefined
}

/** Keys longer than this are ignored: bucketing must stay cheap whatever a client sends. */
const MAX_KEY_INPUT = 8192

/** Parses a `stickyBy` string; throws a plain Error with the reason (the config schema reports it). */
export function parseStickyBy (spec: string): StickySpec {
  if (spec === 'ip') return { kind: 'ip' }
  if (spec === 'jwt:sub') return { kind: 'jwt-sub' }
  const m = /^(header|cookie):([A-Za-z0-9!#$%&'*+.^_`|~-]+)$/.exec(spec)
  if (m?.[1] === 'header') return { kind: 'header', name: m[2]!.toLowerCase() }
  if (m?.[1] === 'cookie') return { kind: 'cookie', name: m[2]! }
  throw new Error(`stickyBy must be header:<name>, cookie:<name>, ip or jwt:sub, got "${spec}"`)
}

function firstHeader (source: StickySource, name: string): string | undefined {
  const value = source.headers[name]
  const one = Array.isArray(value) ? value[0] : value
  if (one === undefined || one === '' || one.length > MAX_KEY_INPUT) return undefined
  return one
}

/** Reads one cookie from a Cookie header; the value is taken as is (no decoding needed for a hash). */
export function readCookie (header: string, name: string): string | undefined {
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq === -1) continue
    if (part.slice(0, eq).trim() !== name) continue
    const value = part.slice(eq + 1).trim()
    return value === '' ? undefined : value
  }
  return undefined
}

/** The `sub` claim of a Bearer JWT, decoded without verification (see the file comment). */
export function readJwtSub (authorization: string): string | undefined {
  const m = /^Bearer\s+([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/i.exec(authorization.trim())
  if (!m) return undefined
  try {
    const payload: unknown = JSON.parse(Buffer.from(m[2]!, 'base64url').toString('utf8'))
    if (typeof payload !== 'object' || payload === null) return undefined
    const sub = (payload as { sub?: unknown }).sub
    return typeof sub === 'string' && sub !== '' ? sub : undefined
  } catch {
    return undefined
  }
}

/** The sticky key of a request, or undefined (then the rollout chooses at random). */
export function extractStickyKey (spec: StickySpec, source: StickySource): string | undefined {
  switch (spec.kind) {
    case 'header':
      return firstHeader(source, spec.name)
    case 'cookie': {
      const cookie = firstHeader(source, 'cookie')
      return cookie === undefined ? undefined : readCookie(cookie, spec.name)
    }
    case 'ip':
      return source.ip === undefined || source.ip === '' ? undefined : source.ip
    case 'jwt-sub': {
      const auth = firstHeader(source, 'authorization')
      return auth === undefined ? undefined : readJwtSub(auth)
    }
  }
}
