// TypeBox fragments for the protection settings; gateway/src/config/ imports them into the one
// config schema (validation + defaults + types + exported JSON schema). Every object is closed
// (`additionalProperties: false`): a typo is an error, not a silently ignored limit.
// docs/protection.md explains each setting and what it protects against.
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'

const closed = { additionalProperties: false } as const

export const RateLimitSchema = Type.Object({
  perSecond: Type.Number({ exclusiveMinimum: 0, default: 200, description: 'sustained requests per second (token refill rate)' }),
  burst: Type.Integer({ minimum: 1, default: 50, description: 'bucket capacity: requests admitted at once' })
}, closed)

export const ClientKeySourceSchema = Type.String({
  pattern: '^(ip|header:[A-Za-z0-9_.-]+|jwt:[A-Za-z0-9_.-]+)$',
  default: 'ip',
  description: 'ip | header:<name> | jwt:<claim> (jwt only with trustJwt: the token is decoded, not verified)'
})

export const ClientRateLimitSchema = Type.Object({
  perSecond: Type.Number({ exclusiveMinimum: 0, default: 20 }), // requests/s per client
  burst: Type.Integer({ minimum: 1, default: 40 }), // requests at once per client
  key: ClientKeySourceSchema,
  trustJwt: Type.Boolean({ default: false }), // a layer in front verified the JWT
  maxKeys: Type.Integer({ minimum: 1, default: 10000 }) // client buckets kept (LRU)
}, closed)

export const QueueSchema = Type.Object({
  maxSize: Type.Integer({ minimum: 0, default: 64 }), // waiters; 0 = shed at once
  maxWaitMs: Type.Integer({ minimum: 1, default: 250 }) // ms a request may wait for a permit
}, closed)

export const BreakerSchema = Type.Object({
  errorThresholdPercentage: Type.Number({ minimum: 1, maximum: 100, default: 50 }), // % failed calls in the window
  volumeThreshold: Type.Integer({ minimum: 1, default: 20 }), // calls in the window before it may open
  resetTimeoutMs: Type.Integer({ minimum: 1, default: 5000 }), // ms open before one half-open probe
  rollingCountTimeoutMs: Type.Integer({ minimum: 100, default: 10000 }), // ms rolling window
  rollingCountBuckets: Type.Integer({ minimum: 1, default: 10 }) // buckets in the window
}, closed)

export const RetriesSchema = Type.Object({
  enabled: Type.Boolean({ default: false }),
  maxAttempts: Type.Integer({ minimum: 1, maximum: 5, default: 2 }), // attempts, first included
  budgetPercent: Type.Number({ minimum: 0, maximum: 100, default: 20 }), // % of active requests
  minRetryConcurrency: Type.Integer({ minimum: 0, default: 3 }), // retries always allowed at once
  baseDelayMs: Type.Integer({ minimum: 0, default: 25 }), // ms, full-jitter backoff base
  maxDelayMs: Type.Integer({ minimum: 0, default: 250 }) // ms, backoff cap
}, closed)

export const AdaptiveSchema = Type.Object({
  enabled: Type.Boolean({ default: false }),
  minConcurrency: Type.Integer({ minimum: 1, default: 1 }), // floor of the adaptive cap
  latencyThresholdMs: Type.Integer({ minimum: 1, default: 500 }), // ms; slower = congestion
  backoffRatio: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.9 }) // multiplicative decrease
}, closed)

/** Spread into the `legacy` object of the config schema. */
export const legacyProtectionProperties = {
  maxConcurrency: Type.Integer({ minimum: 1, default: 8, description: 'in-flight cap to legacy, all routes together' }),
  queue: Type.Optional(QueueSchema),
  rateLimit: Type.Optional(RateLimitSchema), // global bucket for everything that reaches legacy
  clientRateLimit: Type.Optional(ClientRateLimitSchema), // per caller, across routes
  breaker: Type.Optional(BreakerSchema),
  retries: Type.Optional(RetriesSchema),
  adaptive: Type.Optional(AdaptiveSchema)
}

/** Spread into a route's `lambda` object: the function's reserved concurrency, mirrored here. */
export const lambdaProtectionProperties = {
  maxConcurrency: Type.Optional(Type.Integer({ minimum: 1, description: 'gateway-side cap = reserved concurrency' })),
  queue: Type.Optional(QueueSchema),
  breaker: Type.Optional(BreakerSchema)
}

export const FallbackSchema = Type.Union([Type.Literal('legacy'), Type.Literal('none')], { default: 'none' })

export const HttpMethodSchema = Type.Union(
  ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'POST', 'PATCH'].map(m => Type.Literal(m)))

/** Spread into a route object. */
export const routeProtectionProperties = {
  priority: Type.Optional(Type.Integer({ minimum: -100, maximum: 100, default: 0, description: 'higher = queued first, shed last' })),
  rateLimit: Type.Optional(RateLimitSchema), // per-route bucket
  breaker: Type.Optional(BreakerSchema), // per-route breaker inside the upstream one
  fallback: Type.Optional(FallbackSchema),
  fallbackMethods: Type.Optional(Type.Array(HttpMethodSchema, { uniqueItems: true, description: 'default: idempotent methods only' }))
}

export const LegacyProtectionSchema = Type.Object(legacyProtectionProperties, closed)
export const RouteProtectionSchema = Type.Object(routeProtectionProperties, closed)
export const LambdaProtectionSchema = Type.Object(lambdaProtectionProperties, closed)

export type RateLimitSettings = Static<typeof RateLimitSchema>
export type ClientRateLimitSettings = Static<typeof ClientRateLimitSchema>
export type QueueSettingsConfig = Static<typeof QueueSchema>
export type BreakerSettings = Static<typeof BreakerSchema>
export type RetriesSettings = Static<typeof RetriesSchema>
export type AdaptiveSettings = Static<typeof AdaptiveSchema>
export type LegacyProtectionSettings = Static<typeof LegacyProtectionSchema>
export type RouteProtectionSettings = Static<typeof RouteProtectionSchema>
export type LambdaProtectionSettings = Static<typeof LambdaProtectionSchema>

/** Defaults applied when a block is absent (mirrors the schema defaults above). */
export const PROTECTION_DEFAULTS = {
  maxConcurrency: 8,
  queue: { maxSize: 64, maxWaitMs: 250 },
  rateLimit: { perSecond: 200, burst: 50 },
  breaker: { errorThresholdPercentage: 50, volumeThreshold: 20, resetTimeoutMs: 5000, rollingCountTimeoutMs: 10000, rollingCountBuckets: 10 },
  retries: { enabled: false, maxAttempts: 2, budgetPercent: 20, minRetryConcurrency: 3, baseDelayMs: 25, maxDelayMs: 250 },
  adaptive: { enabled: false, minConcurrency: 1, latencyThresholdMs: 500, backoffRatio: 0.9 },
  clientRateLimit: { perSecond: 20, burst: 40, key: 'ip', trustJwt: false, maxKeys: 10000 },
  lambdaQueue: { maxSize: 32, maxWaitMs: 100 }
} as const
