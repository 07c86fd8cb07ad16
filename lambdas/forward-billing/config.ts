// Everything forward-billing reads from its environment, read once per execution environment.
import { envInt, envUrl } from '../shared/env.js'
import { MAX_BODY_BYTES_DEFAULT } from './schema.js'

export interface ForwardBillingConfig {
  /** GATEWAY_BASE_URL: the gateway, never legacy. Default http://127.0.0.1:8080. */
  gatewayBaseUrl: string
  /** UPSTREAM_TIMEOUT_MS: one attempt's budget, ms. Default 3000 (the function Timeout is 10 s). */
  upstreamTimeoutMs: number
  /** MAX_BODY_BYTES: largest accepted body. Default 16384. */
  maxBodyBytes: number
}

export function readConfig (env: Record<string, string | undefined>): ForwardBillingConfig {
  return {
    gatewayBaseUrl: envUrl(env, 'GATEWAY_BASE_URL', 'http://127.0.0.1:8080'),
    upstreamTimeoutMs: envInt(env, 'UPSTREAM_TIMEOUT_MS', { fallback: 3000, min: 1, max: 60_000 }),
    maxBodyBytes: envInt(env, 'MAX_BODY_BYTES', { fallback: MAX_BODY_BYTES_DEFAULT, min: 256, max: 1_048_576 })
  }
}
