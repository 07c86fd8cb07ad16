// What every target sends on about a client's request, built in one place: the normalised path
// and raw query the route matched, the headers after hygiene (forward-headers.ts), the route's
// API Gateway route key and params, the client's address and the host it asked for. The legacy
// proxy sends the headers on; the Lambda target and the shadow calls build an event from all of it.
import type { FastifyRequest } from 'fastify'
import type { RouteConfig } from '../config/schema.js'
import { forwardHeadersOf } from '../http/forward-headers.js'
import type { HeaderMap } from '../http/header-hygiene.js'
import { unmapIPv4 } from '../http/trusted-proxies.js'

export interface ForwardContext {
  method: string
  /** Normalised path (what the route matched on). */
  path: string
  /** Raw query string without '?' ('' when absent). */
  query: string
  /** Forwarded headers (header hygiene applied), lower-case names. */
  headers: HeaderMap
  /** The client's header lines as received (name, value, …): repeated headers joined from them (lambda-event.ts). */
  rawHeaders: string[]
  requestId: string
  params: Record<string, string>
  /** API Gateway style route key, `GET /api/users/{id}`; '' without a route (the default route). */
  routeKey: string
  sourceIp: string
  /** The Host the client asked for, without its port. */
  domainName: string
}

/** API Gateway-style route key, `GET /api/users/{id}`, from the route path `/api/users/:id`. */
export function routeKeyFor (method: string, path: string): string {
  return `${method} ${path.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\/\*$/, '/{proxy+}')}`
}

// Route configs are frozen and replaced whole on reload: one key per route and method, not per request.
const routeKeys = new WeakMap<RouteConfig, Map<string, string>>()

function cachedRouteKey (method: string, route: RouteConfig): string {
  let byMethod = routeKeys.get(route)
  if (byMethod === undefined) routeKeys.set(route, byMethod = new Map())
  let key = byMethod.get(method)
  if (key === undefined) byMethod.set(method, key = routeKeyFor(method, route.path))
  return key
}

export function forwardContextOf (request: FastifyRequest): ForwardContext {
  const routing = request.routing
  const peer = request.raw.socket.remoteAddress
  return {
    method: request.method,
    path: routing.path,
    query: routing.query,
    headers: forwardHeadersOf(request),
    rawHeaders: request.raw.rawHeaders,
    requestId: request.id,
    params: routing.params,
    routeKey: routing.route === undefined ? '' : cachedRouteKey(request.method, routing.route),
    sourceIp: peer ? unmapIPv4(peer) : '',
    domainName: (request.headers.host ?? '').replace(/:\d+$/, '')
  }
}
