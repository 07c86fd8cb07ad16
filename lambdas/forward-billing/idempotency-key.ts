// The Idempotency-Key sent to legacy: the client's when it gave one, else derived from the
// request id and the exact legacy body, so a retried invocation of the same request (the
// gateway's retry, or Lambda's own retry of an async event) produces the same key and legacy
// stores the billing once — while two different billings can never share a key, even if a
// request id were reused. Hashed because a request id may hold characters the legacy's header
// rule (visible ASCII, <= 255) refuses.
import { createHash } from 'node:crypto'

export function idempotencyKeyFor (clientKey: string | undefined, requestId: string, legacyBody: string): string {
  if (clientKey !== undefined) return clientKey
  return `fb-${createHash('sha256').update(requestId).update('\n').update(legacyBody).digest('hex').slice(0, 40)}`
}
