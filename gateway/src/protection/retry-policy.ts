// When a failed attempt may be retried, and after how long. Pure. Off by default.
// Only idempotent methods (RFC 9110 9.2.2): never POST or PATCH, which could charge or book twice.
// Never after our own rejections (rate limit, shed, open breaker, throttle: retrying would add
// load exactly where we decided to remove it), a client abort, or an upstream 4xx.
import type { RetriesSettings } from './protection.schema.js'
import { isAbortError, isProtectionRejection } from './rejection.js'

/** `legacy.retries` (schema: protection.schema.ts, where the defaults are). */
export type RetryConfig = RetriesSettings

export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE'])

export function isIdempotent (method: string): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase())
}

/** Upstream 5xx, timeouts and network errors are retriable; nothing else. */
export function isRetriableError (err: unknown): boolean {
  if (isProtectionRejection(err) || isAbortError(err)) return false
  const status = (err as { statusCode?: unknown } | null)?.statusCode
  return !(typeof status === 'number' && status < 500)
}

/** `attempt` = attempts already made (1 after the first failure). */
export function shouldRetry (config: RetryConfig, method: string, attempt: number, err: unknown): boolean {
  return config.enabled && attempt < config.maxAttempts && isIdempotent(method) && isRetriableError(err)
}

/** Full jitter (AWS architecture blog): uniform in [0, min(max, base * 2^(attempt-1))]. */
export function backoffDelayMs (config: Pick<RetryConfig, 'baseDelayMs' | 'maxDelayMs'>, attempt: number,
  random: () => number = Math.random): number {
  const ceiling = Math.min(config.maxDelayMs, config.baseDelayMs * 2 ** Math.max(0, attempt - 1))
  return Math.floor(random() * ceiling)
}
