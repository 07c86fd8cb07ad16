// Whether a request is shadowed: a pure decision from the route's shadow settings, its runtime
// switch and the request line. Writes are refused unless the route allows them AND the request
// carries the route's idempotency key, so the default config can never shadow a POST.
import { deepFreeze } from '../config/deep-freeze.js'
import { withSchemaDefaults } from '../config/schema/common.schema.js'
import { ShadowSchema } from './shadow.schema.js'
import type { ShadowConfig } from './shadow.schema.js'

/** Why a request was not shadowed (logged at debug, never counted as a comparison). */
export type ShadowSkip = 'off' | 'no_lambda' | 'not_sampled' | 'write' | 'no_idempotency_key' | 'body_too_large'

export type ShadowDecision = { shadow: true } | { shadow: false, reason: ShadowSkip }

/** The settings of a route without a `shadow` section: the schema's defaults. */
export const SHADOW_DEFAULTS: ShadowConfig = deepFreeze(withSchemaDefaults(ShadowSchema, {}))

const READS = new Set(['GET', 'HEAD'])

export function isWrite (method: string): boolean { return !READS.has(method.toUpperCase()) }

export interface EligibilityInput {
  settings: ShadowConfig
  /** The runtime switch in effect (admin PATCH override, else `settings.enabled`). */
  enabled: boolean
  /** The route has a `lambda` section (a shadow needs both sides). */
  hasLambda: boolean
  method: string
  /** Request headers, lower-case names. */
  headers: Readonly<Record<string, string | string[] | undefined>>
  /** `content-length` of the request, when declared. */
  declaredBodyBytes?: number | undefined
  /** [0, 1) */
  random: () => number
}

export function shadowEligibility (i: EligibilityInput): ShadowDecision {
  if (!i.enabled) return { shadow: false, reason: 'off' }
  if (!i.hasLambda) return { shadow: false, reason: 'no_lambda' }
  if (isWrite(i.method)) {
    if (!i.settings.allowWrites) return { shadow: false, reason: 'write' }
    const key = i.headers[i.settings.idempotencyKeyHeader.toLowerCase()]
    if (typeof key !== 'string' || key.trim() === '') return { shadow: false, reason: 'no_idempotency_key' }
  }
  if (i.declaredBodyBytes !== undefined && i.declaredBodyBytes > i.settings.maxBodyBytes) return { shadow: false, reason: 'body_too_large' }
  // Sampling last, so a sampled-out request says so only when it could have been shadowed.
  if (i.settings.sampleRate < 1 && !(i.random() < i.settings.sampleRate)) return { shadow: false, reason: 'not_sampled' }
  return { shadow: true }
}

/** `content-length` as a number, or undefined when absent or malformed. */
export function declaredLength (value: string | string[] | undefined): number | undefined {
  if (typeof value !== 'string' || !/^\d+$/.test(value)) return undefined
  return Number(value)
}
