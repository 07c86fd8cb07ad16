// Tester override: a request header that forces a route's target, so a tester can try the
// Lambda before any user does. OFF by default. The value is `<target>;<secret>` with target
// `lambda` or `legacy` and the secret configured in GATEWAY_OVERRIDE_SECRET.
//
// Why a shared secret and not an HMAC with expiry: testers type it into curl/Postman/browser
// extensions, so it must be copy-pasteable; rotating GATEWAY_OVERRIDE_SECRET revokes every
// tester at once. The header is stripped before proxying, never logged, and compared in
// constant time over SHA-256 digests (equal length, so timingSafeEqual never throws and the
// secret's length does not leak). Without a valid secret the header is ignored.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { RolloutTarget } from './rollout-bucket.js'

/** Secrets shorter than this are refused at start: a guessable override is an open door. */
export const MIN_OVERRIDE_SECRET_LENGTH = 16

export interface TesterOverrideSettings {
  enabled: boolean
  /** Lower-case header name, e.g. `x-gateway-force-target`. */
  header: string
  /** SHA-256 of the configured secret; undefined when no secret is configured. */
  secretDigest: Buffer | undefined
}

export function digestSecret (secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest()
}

/** Builds the settings from config + the secret (from env, read by the config module). */
export function testerOverrideSettings (config: { enabled: boolean, header: string }, secret: string | undefined): TesterOverrideSettings {
  return {
    enabled: config.enabled,
    header: config.header.toLowerCase(),
    secretDigest: secret === undefined || secret === '' ? undefined : digestSecret(secret)
  }
}

/** A reason to refuse to start (enabled without a usable secret), or undefined when fine. */
export function testerOverrideProblem (config: { enabled: boolean }, secret: string | undefined): string | undefined {
  if (!config.enabled) return undefined
  if (secret === undefined || secret.length < MIN_OVERRIDE_SECRET_LENGTH) {
    return `testerOverride is enabled but GATEWAY_OVERRIDE_SECRET is missing or shorter than ${MIN_OVERRIDE_SECRET_LENGTH} characters`
  }
  return undefined
}

/**
 * The forced target of a request, or undefined when the override is off, absent, malformed or
 * carries a wrong secret. The app strips `settings.header` from the request in every case.
 */
export function testerOverrideTarget (settings: TesterOverrideSettings, value: string | string[] | undefined): RolloutTarget | undefined {
  if (!settings.enabled || settings.secretDigest === undefined || value === undefined) return undefined
  const one = Array.isArray(value) ? value[0] : value
  if (one === undefined) return undefined
  const sep = one.indexOf(';')
  if (sep === -1) return undefined
  const target = one.slice(0, sep).trim().toLowerCase()
  if (target !== 'lambda' && target !== 'legacy') return undefined
  const presented = digestSecret(one.slice(sep + 1).trim())
  return timingSafeEqual(presented, settings.secretDigest) ? target : undefined
}
