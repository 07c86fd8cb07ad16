// Header hygiene, pure: what the gateway forwards upstream (legacy, the Lambda event, a shadow
// call, an async job) and what it passes back. Hop-by-hop headers are per connection (RFC 9110
// §7.6.1) and never forwarded; internal and stripped headers (x-gateway-*, server.internalHeaders,
// server.stripHeaders) are removed so a client cannot spoof the gateway's vocabulary or steer
// IIS (X-Original-URL, method overrides); client-address headers (x-forwarded-*, Forwarded,
// X-Real-IP, True-Client-IP, X-Client-IP) are dropped and X-Forwarded-For rebuilt unless the peer
// is a trusted proxy. IIS exposes `X_Foo` and `X-Foo` as the same server variable (HTTP_X_FOO),
// so an underscore spelling of any guarded name is dropped too. The policy: docs/security.md.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http'
import { isIP } from 'node:net'
import { unmapIPv4 } from './trusted-proxies.js'

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade'])
export const INTERNAL_PREFIX = 'x-gateway-'
/** Headers a backend may take the client's address from, besides `x-forwarded-*`. */
export const CLIENT_ADDRESS_HEADERS: readonly string[] = ['forwarded', 'x-real-ip', 'true-client-ip', 'x-client-ip']
const CLIENT_ADDRESS = new Set(CLIENT_ADDRESS_HEADERS)
// Set by the gateway itself on every forward: a client's underscore spelling must not reach IIS.
const GATEWAY_SET = new Set(['x-request-id', 'host', 'content-length', 'expect'])
// RFC 9110 field-name token characters (lower case: names are compared lower-cased). A table,
// not a regex: an anchored class regex per header name cost ~0.4 µs, the table a tenth of that.
const TOKEN_CHAR = new Uint8Array(128)
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyz") TOKEN_CHAR[c.charCodeAt(0)] = 1

function isToken (name: string): boolean {
  if (name.length === 0) return false
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i)
    if (c >= 128 || TOKEN_CHAR[c] !== 1) return false
  }
  return true
}
// A value with CR, LF or NUL could split a header line upstream; Node's parser refuses them, the
// pure function refuses them too (any input, not only what Node parsed).
const UNSAFE_VALUE = /[\r\n\0]/

export type HeaderMap = Record<string, string | string[]>

/** Lower-case names listed in a `Connection` header (undefined when none beyond hop-by-hop ones). */
function connectionListed (value: unknown): string[] | undefined {
  if (value === undefined) return undefined
  const raw = Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : ''
  // The usual value names only a hop-by-hop header (dropped anyway): no list to build.
  if (raw === 'keep-alive' || raw === '') return undefined
  const listed = raw.split(',').map(s => s.trim().toLowerCase()).filter(Boolean)
  return listed.length > 0 ? listed : undefined
}

/** True for connection-level headers and every `proxy-*` header (proxy credentials included). */
export function isHopByHop (name: string): boolean {
  return HOP_BY_HOP.has(name) || name.startsWith('proxy-')
}

const keepAll = (): boolean => false

function safeValue (value: unknown): string | string[] | undefined {
  if (Array.isArray(value)) {
    const list = value.map(String)
    return list.some(v => UNSAFE_VALUE.test(v)) ? undefined : list
  }
  const text = String(value)
  return UNSAFE_VALUE.test(text) ? undefined : text
}

/** Copies `headers` without hop-by-hop headers, those named in `Connection`, `drop` matches,
 * and any header whose name is not a token or whose value holds CR, LF or NUL. A `__proto__`
 * header (Node's parser drops it too) is dropped explicitly rather than lost to the prototype. */
export function withoutHopByHop (headers: IncomingHttpHeaders | OutgoingHttpHeaders,
  drop: (name: string) => boolean = keepAll): HeaderMap {
  // Runs twice per proxied request: no entry arrays (bench/README.md, "hot path").
  const listed = connectionListed(headers.connection)
  const out: HeaderMap = {}
  for (const key of Object.keys(headers)) {
    const value = headers[key]
    if (value === undefined) continue
    const name = key.toLowerCase()
    if (isHopByHop(name) || (listed !== undefined && listed.includes(name)) || drop(name) || !isToken(name) || name === '__proto__') continue
    const safe = safeValue(value)
    if (safe !== undefined) out[name] = safe
  }
  return out
}

export interface ForwardContext {
  /** The TCP peer (socket.remoteAddress). */
  peer: string | undefined
  /** Whether the peer is in server.trustedProxies: only then are its client-address headers kept. */
  peerTrusted: boolean
  /** The client connection used TLS. */
  encrypted: boolean
  /** The request's id (already checked well-formed by request-id.ts, else generated). */
  requestId: string
  /** Extra request headers stripped from clients (server.internalHeaders, server.stripHeaders,
   * the tester override header), lowercase. */
  internalHeaders: ReadonlySet<string>
}

function isInternal (name: string, internalHeaders: ReadonlySet<string>): boolean {
  return name.startsWith(INTERNAL_PREFIX) || internalHeaders.has(name)
}

/** x-forwarded-*, Forwarded, X-Real-IP, True-Client-IP, X-Client-IP (lower-case name). */
export function isClientAddress (name: string): boolean {
  return name.startsWith('x-forwarded-') || CLIENT_ADDRESS.has(name)
}

/** A name (dashed, lower-case) the gateway strips, replaces or sets itself. */
export function isGuarded (name: string, internalHeaders: ReadonlySet<string>): boolean {
  return isHopByHop(name) || isInternal(name, internalHeaders) || isClientAddress(name) || GATEWAY_SET.has(name)
}

/** An underscore spelling (`x_forwarded_for`) of a guarded name: IIS would read it as that name. */
function isUnderscoreAlias (name: string, internalHeaders: ReadonlySet<string>): boolean {
  return name.includes('_') && isGuarded(name.replaceAll('_', '-'), internalHeaders)
}

const isBackwardDropped = (name: string): boolean => name.startsWith(INTERNAL_PREFIX) || name === 'x-request-id'

function joined (value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value
}

/** RFC 7239 node: IPv6 addresses are bracketed and quoted. */
function forwardedNode (ip: string): string {
  return isIP(ip) === 6 ? `"[${ip}]"` : ip
}

/** The headers a client's request is forwarded with (legacy request, Lambda event, async job). */
export function forwardRequestHeaders (incoming: IncomingHttpHeaders, ctx: ForwardContext): HeaderMap {
  const internal = ctx.internalHeaders
  const trusted = ctx.peerTrusted
  const out = withoutHopByHop(incoming, name =>
    isInternal(name, internal) || (!trusted && isClientAddress(name)) || isUnderscoreAlias(name, internal))
  const peer = ctx.peer ? unmapIPv4(ctx.peer) : undefined
  const priorFor = trusted ? joined(out['x-forwarded-for']) : undefined
  if (peer) out['x-forwarded-for'] = priorFor ? `${priorFor}, ${peer}` : peer
  else if (priorFor) out['x-forwarded-for'] = priorFor
  // A trusted proxy's Forwarded chain is extended like X-Forwarded-For (RFC 7239 §4).
  const priorForwarded = joined(out.forwarded)
  if (priorForwarded && peer) out.forwarded = `${priorForwarded}, for=${forwardedNode(peer)}`
  if (!out['x-forwarded-proto']) out['x-forwarded-proto'] = ctx.encrypted ? 'https' : 'http'
  const host = joined(out.host)
  if (!out['x-forwarded-host'] && host) out['x-forwarded-host'] = host
  out['x-request-id'] = ctx.requestId
  return out
}

/** The upstream response headers passed to the client: no hop-by-hop, no upstream-set
 * routing or request-id headers (the gateway sets its own). */
export function backwardResponseHeaders (headers: IncomingHttpHeaders | OutgoingHttpHeaders): HeaderMap {
  return withoutHopByHop(headers, isBackwardDropped)
}
