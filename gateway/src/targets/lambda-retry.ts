// The gateway's retry policy for Lambda invokes — deliberately NOT the SDK default.
//
// Why: the SDK default is 3 attempts with exponential backoff, and it retries throttles and its
// own timeouts. Behind a gateway that turns one slow request into up to three executions of the
// function (a write could run three times) and multiplies load exactly when a function is
// throttled. So:
//   - `idempotent: false` invokes (the app: all but GET/HEAD/OPTIONS): maxAttempts 1, never re-sent;
//   - `idempotent: true` invokes (GET, HEAD, OPTIONS): at most 2 attempts, and only for
//     errors where the invoke most likely never ran or the service itself failed: connection
//     refused/reset on a reused keep-alive socket, DNS hiccups, 5xx service errors;
//   - never after a throttle (429 TooManyRequestsException, EC2ThrottledException, …): the gateway
//     answers 503 + Retry-After at once and lets the protection layer (fallback, breaker) decide;
//   - never after the gateway's own timeout: the per-call AbortController aborts the attempt and
//     the SDK's retry middleware stops on an aborted signal; this strategy refuses as well when
//     the error is an AbortError, so no code path re-sends after a client-side timeout;
//   - the SDK's requestTimeout is left unset: it only logs a warning unless
//     throwOnRequestTimeout is true, and a throwing SDK timeout would count as a transient error
//     and be retried. The gateway's AbortController timer is the one real timeout.
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types'

/** Attempts for idempotent invokes (first try + one retry). */
export const IDEMPOTENT_MAX_ATTEMPTS = 2
/** Base delay before the retry; jittered to 50–100 % so replicas do not retry in lockstep. */
const RETRY_BASE_DELAY_MS = 25

function token (count: number, delayMs: number): RetryToken {
  return { getRetryCount: () => count, getRetryDelay: () => delayMs }
}

function isAbort (error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError'
}

/** A RetryStrategyV2 for the SDK's `retryStrategy` option that implements the policy above. */
export function gatewayRetryStrategy (maxAttempts: number): RetryStrategyV2 {
  return {
    async acquireInitialRetryToken () {
      return token(0, 0)
    },
    async refreshRetryTokenForRetry (previous: RetryToken, info: RetryErrorInfo) {
      const next = previous.getRetryCount() + 1
      const retryable = info.errorType === 'TRANSIENT' || info.errorType === 'SERVER_ERROR'
      if (next >= maxAttempts || !retryable || isAbort(info.error)) {
        throw info.error ?? new Error('retry refused')
      }
      return token(next, Math.round(RETRY_BASE_DELAY_MS * (0.5 + Math.random() / 2)))
    },
    recordSuccess () {}
  }
}
