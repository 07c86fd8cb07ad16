// The BillingGateway port over HTTP: POST ${GATEWAY_BASE_URL}/api/Billings through the gateway
// (which caps legacy concurrency), never to legacy directly. One attempt, bounded by an abort
// timeout that covers connect, headers and body. Uses Node's global fetch (undici keep-alive pool).
import { UpstreamCallError } from './forward-billing.js'
import type { BillingGateway, UpstreamAnswer } from './forward-billing.js'
import { FORWARDED_BY_HEADER } from './schema.js'

export function httpBillingGateway (baseUrl: string): BillingGateway {
  const url = `${baseUrl}/api/Billings`
  return {
    async postBilling (body, idempotencyKey, timeoutMs, trace = {}): Promise<UpstreamAnswer> {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            ...trace,
            'content-type': 'application/json',
            accept: 'application/json',
            'idempotency-key': idempotencyKey,
            [FORWARDED_BY_HEADER]: 'forward-billing'
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs)
        })
        const headers: Record<string, string> = {}
        res.headers.forEach((value, name) => { headers[name] = value })
        return { status: res.status, headers, body: await res.text() }
      } catch (err) {
        const name = (err as Error)?.name
        if (name === 'TimeoutError' || name === 'AbortError') {
          throw new UpstreamCallError('timeout', `no answer from ${url} within ${timeoutMs} ms`, { cause: err })
        }
        const code = ((err as { cause?: { code?: unknown } })?.cause?.code as string | undefined) ?? 'network error'
        throw new UpstreamCallError('unreachable', `could not reach ${url} (${code})`, { cause: err })
      }
    }
  }
}
