// Header hygiene, pure: what the gateway forwards upstream (legacy or the Lambda event) and
// what it passes back. Hop-by-hop headers are per connection (RFC 9110 §7.6.1) and never
// forwarded; internal headers are the gateway's own vocabulary and a client must not be able
// to spoof them; x-forwarded-* are rebuilt unless the peer is a trusted proxy.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http'
import { unmapIPv4 } from './trusted-proxies.js'

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade'])
export const INTERNAL_PREFIX = 'x-gateway-'

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

/** Copies `headers` without hop-by-hop headers, those named in `Connection`, and `drop` matches. */
export function withoutHopByHop (headers: IncomingHttpHeaders | OutgoingHttpHeaders,
  drop: (name: string) => boolean = keepAll): HeaderMap {
  // Runs twice per proxied request: no Set, no entry arrays, no closures (bench/README.md, "hot path").
  const listed = connectionListed(headers.connection)
  const out: HeaderMap = {}
  for (const key of Object.keys(headers)) {
    const value = headers[key]
    if (value === undefined) continue
    const name = key.toLowerCase()
    if (isHopByHop(name) || (listed !== undefined && listed.includes(name)) || drop(name)) continue
    out[name] = Array.isArray(value) ? value.map(String) : String(value)
  }
  return out
}

export interface ForwardContext {
  /** The TCP peer (socket.remoteAddress). */
  peer: string | undefined
  /** Whether the peer is in server.trustedProxies: only then are its x-forwarded-* kept. */
  peerTrusted: boolean
  /** The client connection used TLS. */
  encrypted: boolean
  requestId: string
  /** Extra request headers stripped from clients (server.internalHeaders), lowercase. */
  internalHeaders: ReadonlySet<string>
}

function isInternal (name: string, internalHeaders: ReadonlySet<string>): boolean {
  return name.startsWith(INTERNAL_PREFIX) || internalHeaders.has(name)
}

function isForwarded (name: string): boolean {
  return name === 'forwarded' || name.startsWith('x-forwarded-')
}

const isBackwardDropped = (name: string): boolean => name.startsWith(INTERNAL_PREFIX) || name === 'x-request-id'

function first (value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value
}

/** The headers a client's request is forwarded with (legacy request or Lambda event). */
export function forwardRequestHeaders (incoming: IncomingHttpHeaders, ctx: ForwardContext): HeaderMap {
  const internal = ctx.internalHeaders
  const out = withoutHopByHop(incoming, ctx.peerTrusted ? name => isInternal(name, internal) : name => isInternal(name, internal) || isForwarded(name))
  const peer = ctx.peer ? unmapIPv4(ctx.peer) : undefined
  const priorFor = ctx.peerTrusted ? first(incoming['x-forwarded-for']) : undefined
  if (peer) out['x-forwarded-for'] = priorFor ? `${priorFor}, ${peer}` : peer
  else if (priorFor) out['x-forwarded-for'] = priorFor
  if (!out['x-forwarded-proto']) out['x-forwarded-proto'] = ctx.encrypted ? 'https' : 'http'
  const host = first(incoming.host)
  if (!out['x-forwarded-host'] && host) out['x-forwarded-host'] = host
  out['x-request-id'] = ctx.requestId
  return out
}

/** The upstream response headers passed to the client: no hop-by-hop, no upstream-set
 * routing or request-id headers (the gateway sets its own). */
export function backwardResponseHeaders (headers: IncomingHttpHeaders | OutgoingHttpHeaders): HeaderMap {
  return withoutHopByHop(headers, isBackwardDropped)
}
