// Maps what reply-from/undici report for a failed legacy call to the gateway's typed errors:
// timeouts → 504 GW_ERR_LEGACY_TIMEOUT, everything else that kept us from a response
// (refused, reset, DNS, connect timeout, TLS verification) → 502 GW_ERR_LEGACY_UNAVAILABLE.
// reply-from wraps undici's error, so the whole `cause` chain is inspected.
import { LegacyTimeoutError, LegacyUnavailableError, PayloadTooLargeError } from '../errors.js'

const TIMEOUT_CODES = new Set([
  'FST_REPLY_FROM_TIMEOUT', 'FST_REPLY_FROM_GATEWAY_TIMEOUT', 'FST_REPLY_FROM_HTTP_REQUEST_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'
])

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'connection reset',
  EPIPE: 'connection reset',
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS certificate not trusted',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host'
}

function codes (error: unknown): string[] {
  const out: string[] = []
  let e: unknown = error
  for (let depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string') out.push(code)
    e = (e as { cause?: unknown }).cause
  }
  return out
}

export type LegacyFailure = InstanceType<typeof LegacyTimeoutError> |
  InstanceType<typeof LegacyUnavailableError> | InstanceType<typeof PayloadTooLargeError>

export function mapLegacyError (error: unknown, timeoutMs: number): LegacyFailure {
  const chain = codes(error)
  const tooLarge = chain.includes('GW_ERR_REQUEST_PAYLOAD_TOO_LARGE')
  if (tooLarge) {
    let e: unknown = error
    while (e && (e as { code?: string }).code !== 'GW_ERR_REQUEST_PAYLOAD_TOO_LARGE') e = (e as { cause?: unknown }).cause
    return e as InstanceType<typeof PayloadTooLargeError>
  }
  if (chain.some(c => TIMEOUT_CODES.has(c))) return Object.assign(new LegacyTimeoutError(timeoutMs), { cause: error })
  const reason = chain.map(c => REASONS[c]).find(Boolean) ?? 'upstream error'
  return Object.assign(new LegacyUnavailableError(reason), { cause: error })
}
