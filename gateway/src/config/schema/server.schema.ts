// `server`: the public listener that serves routed traffic (contract port 8080).
import { Type } from '@sinclair/typebox'
import { Millis, Pattern, Port, Section } from './common.schema.js'
import { serverTracingProperties } from '../../tracing/tracing.schema.js'

// A lower-case HTTP header name (RFC 9110 token characters).
const HEADER_NAME = "^[a-z0-9!#$%&'*+.^_`|~-]+$"

/** Request headers IIS/ASP.NET honours to serve another path or method than the one routed
 * (IIS URL Rewrite's X-Original-URL / X-Rewrite-URL; method-override conventions). */
export const DEFAULT_STRIP_HEADERS = ['x-original-url', 'x-rewrite-url', 'x-http-method-override', 'x-http-method', 'x-method-override']

export const ServerSchema = Section({
  host: Type.String({ minLength: 1, default: '127.0.0.1', description: 'Interface the public listener binds to (0.0.0.0 in a container)' }),
  port: Port(8080, 'Public listener port (env PORT)'),
  bodyLimitBytes: Type.Integer({
    minimum: 1,
    maximum: 1_073_741_824,
    default: 10_485_760,
    description: 'Largest accepted request body in bytes (10 MiB); larger → 413 problem+json'
  }),
  bodyTimeoutMs: Millis(10_000, 'Longest a client may take to send a request body, from its headers to its last byte; slower → 408 problem+json, nothing forwarded', 600_000),
  exposeRoutingHeaders: Type.Boolean({ default: true, description: 'Add x-gateway-route / x-gateway-target to responses' }),
  trustedProxies: Type.Array(Type.String({ minLength: 1, 'x-expected': 'an IP address or CIDR' }), {
    default: [],
    description: 'IPs/CIDRs whose client-address headers (x-forwarded-*, forwarded, x-real-ip, true-client-ip, x-client-ip) are trusted; from others they are dropped and x-forwarded-for rebuilt'
  }),
  internalHeaders: Type.Array(Pattern(HEADER_NAME, 'a lower-case header name'), {
    default: [],
    uniqueItems: true,
    description: 'Extra request headers stripped from client requests (x-gateway-* always are)'
  }),
  stripHeaders: Type.Array(Pattern(HEADER_NAME, 'a lower-case header name'), {
    default: DEFAULT_STRIP_HEADERS,
    uniqueItems: true,
    description: 'Request headers never forwarded because a backend would act on them (path rewrite, method override); underscore spellings are dropped too'
  }),
  shutdownGraceMs: Millis(10_000, 'On SIGTERM, how long in-flight requests may take to finish'),
  caseSensitive: Type.Boolean({ default: false, description: 'Case-sensitive route matching (ASP.NET routing is case-insensitive)' }),
  // Which incoming trace context is continued (tracing area, README "Observability").
  ...serverTracingProperties
}, { description: 'Public listener' })
