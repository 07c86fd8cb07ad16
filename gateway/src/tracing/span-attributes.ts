// The attributes of the gateway's spans, pure: OpenTelemetry semantic conventions for HTTP
// (server and client) and FaaS invocations, plus the gateway's own facts under `gateway.*`.
// Incubating semantic-convention names are written out here rather than imported from the
// package's unstable entry point, as the conventions' own guidance asks.
import type { Attributes } from '@opentelemetry/api'
import {
  ATTR_CLIENT_ADDRESS, ATTR_ERROR_TYPE, ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT, ATTR_URL_FULL, ATTR_URL_PATH, ATTR_URL_SCHEME, ATTR_USER_AGENT_ORIGINAL
} from '@opentelemetry/semantic-conventions'
import { rolloutBucket } from '../routing/rollout-bucket.js'
import { extractStickyKey, parseStickyBy } from '../routing/rollout-key.js'
import type { StickySource } from '../routing/rollout-key.js'

export const ATTR_FAAS_INVOKED_NAME = 'faas.invoked_name'
export const ATTR_FAAS_INVOKED_PROVIDER = 'faas.invoked_provider'
export const ATTR_FAAS_INVOKED_REGION = 'faas.invoked_region'
export const ATTR_FAAS_COLDSTART = 'faas.coldstart'
export const ATTR_ROUTE_ID = 'gateway.route.id'
export const ATTR_TARGET = 'gateway.target'
export const ATTR_REJECTION = 'gateway.rejection.reason'
export const ATTR_ERROR_CODE = 'gateway.error.code'

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE'])

/** http.request.method as the conventions want it: a known method, else `_OTHER`. */
export function methodOf (method: string): string {
  return METHODS.has(method) ? method : '_OTHER'
}

export interface ServerRequestFacts {
  method: string
  /** The request target as received (path and query). */
  url: string
  encrypted: boolean
  host: string | undefined
  peer: string | undefined
  userAgent: string | undefined
  httpVersion: string
}

/** What is known when the request arrives (the span's start). */
export function serverStartAttributes (f: ServerRequestFacts): Attributes {
  const q = f.url.indexOf('?')
  const attrs: Attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: methodOf(f.method),
    [ATTR_URL_PATH]: q < 0 ? f.url : f.url.slice(0, q),
    [ATTR_URL_SCHEME]: f.encrypted ? 'https' : 'http',
    [ATTR_NETWORK_PROTOCOL_VERSION]: f.httpVersion
  }
  if (f.host !== undefined) {
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(f.host)
    if (m) {
      attrs[ATTR_SERVER_ADDRESS] = m[1]!
      if (m[2] !== undefined) attrs[ATTR_SERVER_PORT] = Number(m[2])
    }
  }
  if (f.peer !== undefined) attrs[ATTR_CLIENT_ADDRESS] = f.peer
  if (f.userAgent !== undefined) attrs[ATTR_USER_AGENT_ORIGINAL] = f.userAgent
  return attrs
}

export interface ServerEndFacts {
  method: string
  status: number
  routeId: string
  /** The route's path pattern (`/api/users/:id`); undefined for the default route. */
  routePath: string | undefined
  target: string
  rejection: string | undefined
  errorCode: string | undefined
  fallback: string | undefined
}

/** `GET /api/users/:id`, or the method alone when no route matched (low cardinality). */
export function serverSpanName (method: string, routePath: string | undefined): string {
  const m = methodOf(method)
  const name = m === '_OTHER' ? 'HTTP' : m
  return routePath === undefined ? name : `${name} ${routePath}`
}

/** What is known once the answer went out. A 5xx is an error of the server span (the conventions). */
export function serverEndAttributes (f: ServerEndFacts): Attributes {
  const attrs: Attributes = {
    [ATTR_HTTP_RESPONSE_STATUS_CODE]: f.status,
    [ATTR_ROUTE_ID]: f.routeId,
    [ATTR_TARGET]: f.target
  }
  if (f.routePath !== undefined) attrs[ATTR_HTTP_ROUTE] = f.routePath
  if (f.rejection !== undefined) attrs[ATTR_REJECTION] = f.rejection
  if (f.errorCode !== undefined) attrs[ATTR_ERROR_CODE] = f.errorCode
  if (f.fallback !== undefined) attrs['gateway.fallback'] = f.fallback
  if (f.status >= 500) attrs[ATTR_ERROR_TYPE] = String(f.status)
  return attrs
}

export interface RolloutFacts {
  routeId: string
  stickyBy: string | undefined
  percent: number
  source: StickySource
}

/** `gateway.rollout.percent` and, for a sticky split, `gateway.rollout.bucket` (0..9999, rollout-bucket.ts). */
export function rolloutAttributes (f: RolloutFacts): Attributes {
  const attrs: Attributes = { 'gateway.rollout.percent': f.percent }
  if (f.stickyBy === undefined || f.percent <= 0 || f.percent >= 100) return attrs
  const key = extractStickyKey(parseStickyBy(f.stickyBy), f.source)
  if (key !== undefined) attrs['gateway.rollout.bucket'] = rolloutBucket(f.routeId, key)
  return attrs
}

/** An HTTP client span's attributes (legacy calls: live, shadow, async delivery). */
export function httpClientAttributes (method: string, origin: URL, pathAndQuery: string): Attributes {
  const port = origin.port === '' ? (origin.protocol === 'https:' ? 443 : 80) : Number(origin.port)
  return {
    [ATTR_HTTP_REQUEST_METHOD]: methodOf(method),
    [ATTR_SERVER_ADDRESS]: origin.hostname,
    [ATTR_SERVER_PORT]: port,
    [ATTR_URL_FULL]: `${origin.origin}${pathAndQuery}`
  }
}

/** A Lambda invoke's client span attributes (FaaS client conventions; AWS SDK RPC attributes). */
export function lambdaInvokeAttributes (functionName: string, region: string, qualifier: string | undefined): Attributes {
  return {
    [ATTR_FAAS_INVOKED_NAME]: functionName,
    [ATTR_FAAS_INVOKED_PROVIDER]: 'aws',
    [ATTR_FAAS_INVOKED_REGION]: region,
    'rpc.system': 'aws-api',
    'rpc.service': 'Lambda',
    'rpc.method': 'Invoke',
    ...(qualifier ? { 'gateway.lambda.qualifier': qualifier } : {})
  }
}
