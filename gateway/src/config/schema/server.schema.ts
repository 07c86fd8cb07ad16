// `server`: the public listener that serves routed traffic (contract port 8080).
import { Type } from '@sinclair/typebox'
import { Millis, Pattern, Port, Section } from './common.schema.js'

// A lower-case HTTP header name (RFC 9110 token characters).
const HEADER_NAME = "^[a-z0-9!#$%&'*+.^_`|~-]+$"

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
    description: 'IPs/CIDRs whose x-forwarded-* headers are trusted; others are replaced'
  }),
  internalHeaders: Type.Array(Pattern(HEADER_NAME, 'a lower-case header name'), {
    default: [],
    uniqueItems: true,
    description: 'Extra request headers stripped from client requests (x-gateway-* always are)'
  }),
  shutdownGraceMs: Millis(10_000, 'On SIGTERM, how long in-flight requests may take to finish'),
  caseSensitive: Type.Boolean({ default: false, description: 'Case-sensitive route matching (ASP.NET routing is case-insensitive)' })
}, { description: 'Public listener' })
