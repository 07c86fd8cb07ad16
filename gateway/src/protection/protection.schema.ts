// TypeBox fragments for the protection settings; gateway/src/config/ imports them into the one
// config schema (validation + defaults + types + exported JSON schema). Every object is closed
// (`additionalProperties: false`): a typo is an error, not a silently ignored limit.
// The schema is the only place a default is written: the loader applies them once
// (Value.Default), so a block that is always in force (legacy queue, breaker, ...) carries
// `default: {}` and its fields' defaults fill it; an opt-in block (clientRateLimit, a route's
// rateLimit/breaker) stays optional and absent.
// docs/protection.md explains each setting and what it protects against.
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { HTTP_METHODS, OneOf } from '../config/schema/common.schema.js'

const closed = { additionalProperties: false } as const
/** Always in force: an absent block is filled from its fields' defaults. */
const filled = { additionalProperties: false, default: {} } as const

const rateLimitProperties = {
  perSecond: Type.Number({ exclusiveMinimum: 0, default: 200, description: 'sustained requests per second (token refill rate)' }),
  burst: Type.Integer({ minimum: 1, default: 50, description: 'bucket capacity: requests admitted at once' })
}
export const RateLimitSchema = Type.Object(rateLimitProperties, closed)

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
  maxKeys: Type.Integer({ minimum: 1, default: 10000 }) // client buckets kept (second-chance LRU)
}, closed)

/** A permit queue; legacy and a Lambda function differ only in the defaults. */
function queueSchema (maxSize: number, maxWaitMs: number) {
  return Type.Object({
    maxSize: Type.Integer({ minimum: 0, default: maxSize }), // waiters; 0 = shed at once
    maxWaitMs: Type.Integer({ minimum: 1, default: maxWaitMs }) // ms a request may wait for a permit
  }, filled)
}
export const QueueSchema = queueSchema(64, 250)
export const LambdaQueueSchema = queueSchema(32, 100)

const breakerProperties = {
  errorThresholdPercentage: Type.Number({ minimum: 1, maximum: 100, default: 50 }), // % failed calls in the window
  volumeThreshold: Type.Integer({ minimum: 1, default: 20 }), // calls in the window before it may open
  resetTimeoutMs: Type.Integer({ minimum: 1, default: 5000 }), // ms open before one half-open probe
  rollingCountTimeoutMs: Type.Integer({ minimum: 100, default: 10000 }), // ms rolling window
  rollingCountBuckets: Type.Integer({ minimum: 1, default: 10 }) // buckets in the window
}
export const BreakerSchema = Type.Object(breakerProperties, closed)

const retriesProperties = {
  enabled: Type.Boolean({ default: false }),
  maxAttempts: Type.Integer({ minimum: 1, maximum: 5, default: 2 }), // attempts, first included
  budgetPercent: Type.Number({ minimum: 0, maximum: 100, default: 20 }), // % of active requests
  minRetryConcurrency: Type.Integer({ minimum: 0, default: 3 }), // retries always allowed at once
  baseDelayMs: Type.Integer({ minimum: 0, default: 25 }), // ms, full-jitter backoff base
  maxDelayMs: Type.Integer({ minimum: 0, default: 250 }) // ms, backoff cap
}
/**
 * Retries of calls whose answer is buffered before it is used: shadow calls and async deliveries.
 * A proxied (streamed) request is never retried: its answer is already on its way to the client.
 */
export const RetriesSchema = Type.Object(retriesProperties, { ...filled, description: 'Retries of buffered calls only (shadow, async delivery): a proxied request is never retried' })
/** `legacy.retries`, the old name of `legacy.bufferedRetries`: still read, with a warning (config/renamed-settings.ts). */
export const DeprecatedRetriesSchema = Type.Object(retriesProperties, { ...closed, description: 'Deprecated: renamed to bufferedRetries (same settings); still read, with a warning in the log' })

export const AdaptiveSchema = Type.Object({
  enabled: Type.Boolean({ default: false }),
  minConcurrency: Type.Integer({ minimum: 1, default: 1 }), // floor of the adaptive cap
  latencyThresholdMs: Type.Integer({ minimum: 1, default: 500 }), // ms; slower = congestion
  backoffRatio: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.9 }) // multiplicative decrease
}, filled)

/** Spread into the `legacy` object of the config schema. */
export const legacyProtectionProperties = {
  // `auto`: the cap follows legacy's latency (gradient-limit.ts) instead of a fixed number.
  maxConcurrency: Type.Union([Type.Integer({ minimum: 1 }), Type.Literal('auto')], {
    default: 8, description: 'in-flight cap to legacy, all routes together; auto = found from latency', 'x-expected': 'an integer of at least 1, or auto'
  }),
  queue: QueueSchema,
  rateLimit: Type.Object(rateLimitProperties, filled), // global bucket for everything that reaches legacy
  clientRateLimit: Type.Optional(ClientRateLimitSchema), // per caller, across routes; absent = off
  breaker: Type.Object(breakerProperties, filled),
  bufferedRetries: RetriesSchema,
  retries: Type.Optional(DeprecatedRetriesSchema), // old name of bufferedRetries
  adaptive: AdaptiveSchema
}

/** Spread into a route's `lambda` object: the function's reserved concurrency, mirrored here. */
export const lambdaProtectionProperties = {
  // Without a configured reserved concurrency the function is only bounded by the account.
  maxConcurrency: Type.Integer({ minimum: 1, default: 1000, description: 'gateway-side cap = reserved concurrency' }),
  queue: LambdaQueueSchema,
  breaker: Type.Object(breakerProperties, filled)
}

export const FallbackSchema = Type.Union([Type.Literal('legacy'), Type.Literal('none')], { default: 'none' })

export const HttpMethodSchema = OneOf(HTTP_METHODS)

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
