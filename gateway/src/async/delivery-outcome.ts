// What a delivery attempt means for its job, pure. Legacy's 2xx/3xx: delivered. A permanent 4xx
// (anything but 408 and 429): failed, never retried — the request itself is wrong and repeating
// it cannot help. 408, 429, 5xx and transport errors: transient, retried with backoff until the
// attempts run out (then dead). A shed or an open breaker of the gateway's own shield: the job
// waits and no attempt is burned — legacy never saw the request.
import { isProtectionRejection } from '../protection/rejection.js'

export type DeliveryOutcome =
  | { kind: 'delivered' }
  | { kind: 'failed' }
  | { kind: 'transient', reason: string }
  | { kind: 'wait', reason: string, retryAfterMs: number }

export function classifyStatus (status: number): DeliveryOutcome {
  if (status < 400) return { kind: 'delivered' }
  if (status === 408 || status === 429 || status >= 500) return { kind: 'transient', reason: `legacy answered ${status}` }
  return { kind: 'failed' }
}

export function classifyError (err: unknown): DeliveryOutcome {
  if (isProtectionRejection(err)) {
    return { kind: 'wait', reason: err.reason, retryAfterMs: err.retryAfterSeconds * 1000 }
  }
  const e = err as { code?: unknown, message?: unknown }
  const code = typeof e?.code === 'string' ? e.code : ''
  const message = typeof e?.message === 'string' ? e.message : String(err)
  return { kind: 'transient', reason: code === '' ? message : `${code}: ${message}` }
}
