// The retry loop of Shield.run: idempotent methods only (retry-policy.ts), budgeted
// (retry-budget.ts), jittered backoff that a client abort cuts short. Never retries into an open
// breaker; a spent budget also ends it, and the client then gets the original failure.
import type { PriorityClass } from './concurrency-limiter.js'
import type { RetryBudget } from './retry-budget.js'
import { backoffDelayMs, shouldRetry } from './retry-policy.js'
import type { RetryConfig } from './retry-policy.js'

export interface RetrySettings { config: RetryConfig, budget: RetryBudget, random?: () => number }

const abortableSleep = (ms: number, signal?: AbortSignal): Promise<void> => new Promise((resolve, reject) => {
  if (signal?.aborted) { reject(signal.reason); return }
  const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve() }, ms)
  const onAbort = (): void => { clearTimeout(timer); reject(signal?.reason) }
  signal?.addEventListener('abort', onAbort, { once: true })
})

export async function withRetries<T> (retry: RetrySettings, o: {
  method: string
  firstClass: PriorityClass
  signal?: AbortSignal
  breakerOpen: () => boolean
  attempt: (priorityClass: PriorityClass) => Promise<T>
}): Promise<T> {
  const endRequest = retry.budget.startRequest()
  let lastErr: unknown
  try {
    for (let attempt = 1; ; attempt++) {
      let endRetry: (() => void) | null = null
      if (attempt > 1) {
        await abortableSleep(backoffDelayMs(retry.config, attempt - 1, retry.random), o.signal)
        if (o.breakerOpen()) throw lastErr
        endRetry = retry.budget.tryStartRetry()
        if (!endRetry) throw lastErr
      }
      try {
        return await o.attempt(attempt === 1 ? o.firstClass : 'retry')
      } catch (err) {
        if (!shouldRetry(retry.config, o.method, attempt, err)) throw err
        lastErr = err
      } finally {
        endRetry?.()
      }
    }
  } finally {
    endRequest()
  }
}
