// `legacy`: the backend every unmatched request (the strangler's default route) goes to.
// The protection settings (cap, queue, rate limits, breaker, retries, adaptive) are the
// protection area's fragment, spread in here: docs/protection.md explains each one.
import { Type } from '@sinclair/typebox'
import { legacyProtectionProperties } from '../../protection/protection.schema.js'
import { Millis, Pattern, Section } from './common.schema.js'

export const LegacySchema = Section({
  url: Pattern('^https?://[^\\s]+$', 'an http:// or https:// URL', {
    default: 'http://127.0.0.1:5000',
    description: 'Base URL of the legacy backend (env LEGACY_URL)'
  }),
  timeoutMs: Millis(5000, 'Bounds the wait for legacy\'s response headers and every pause between its body chunks (not the whole response); exceeded → 504', 600_000),
  connectTimeoutMs: Millis(1000, 'TCP/TLS connect timeout to legacy; exceeded → 502', 60_000),
  connections: Type.Integer({ minimum: 1, maximum: 10_000, default: 64, description: 'Keep-alive connection pool size to legacy' }),
  keepAliveTimeoutMs: Millis(4000, 'How long an idle pooled connection is kept open', 600_000),
  ...legacyProtectionProperties
}, { description: 'Legacy backend' })
