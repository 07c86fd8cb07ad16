// Header hygiene, pure: what the gateway forwards upstream (legacy or the Lambda event) and
// what it passes back. Hop-by-hop headers are per connection (RFC 9110 §7.6.1) and never
// forwarded; internal headers are the gateway's own vocabulary and a client must not be able
// to spoof them; x-forwarded-* are rebuilt unless the peer is a trusted proxy.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http'
import { unmapIPv4 } from './trusted-proxies.js'

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade'])
export const INTERNAL_PREFIX = 'x-gateway-'

export type HeaderMap = Record<string, string | string[]>

function connectionListed (value: unknown): string[] {
  const raw = Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : ''
  return raw.split(',').map(s => s.trim().toLowerCase()).filter(Boolean)
}

/** True for connection-level headers and every `proxy-*` header (proxy credentials included). */
export function isHopByHop (name: string): boolean {
  return HOP_BY_HOP.has(name) || name.startsWith('proxy-')
}

/** Copies `headers` without hop-by-hop headers, those named in `Connection`, and `drop` matches. */
export function withoutHopByHop (headers: IncomingHttpHeaders | OutgoingHttpHeaders,
  drop: (name: string) => boolean = () => false): HeaderMap {
  const listed = new Set(connectionListed(headers.connection))
  const out: HeaderMap = {}
  for (const [key, value] of Object.entries(headers)) {
    const name = key.toLowerCase()
    if (value === undefined || isHopByHop(name) || listed.has(name) || drop(name)) continue
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

function first (value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value
}

/** The headers a client's request is forwarded with (legacy request or Lambda event). */
export function forwardRequestHeaders (incoming: IncomingHttpHeaders, ctx: ForwardContext): HeaderMap {
  const out = withoutHopByHop(incoming, name =>
    name.startsWith(INTERNAL_PREFIX) || ctx.internalHeaders.has(name) ||
    (!ctx.peerTrusted && (name === 'forwarded' || name.startsWith('x-forwarded-'))))
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
  return withoutHopByHop(headers, name => name.startsWith(INTERNAL_PREFIX) || name === 'x-request-id')
}
