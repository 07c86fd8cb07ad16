// A Lambda throttle (reserved concurrency reached) means "shed", not "broken": it becomes a
// `throttled` rejection (503 + Retry-After), which the breaker does not count as a failure.
import { isProtectionRejection, markRejection } from './rejection.js'

export function isLambdaThrottle (err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false
  const e = err as { code?: unknown, name?: unknown }
  return e.code === 'GW_ERR_LAMBDA_THROTTLED' || e.name === 'TooManyRequestsException'
}

export function classifyLambdaError (err: unknown): unknown {
  if (!isLambdaThrottle(err) || isProtectionRejection(err)) return err
  // Keep the Retry-After the Lambda service gave (the invoker maps it); 1 s when it gave none.
  const given = Number((err as { retryAfterSeconds?: unknown }).retryAfterSeconds)
  return markRejection(err as Error, 'throttled', Number.isFinite(given) && given > 0 ? given : 1)
}
