// Maps what undici reports for a failed legacy call (the live forward, a shadow call, an async
// delivery) to the gateway's typed errors: timeouts → 504 GW_ERR_LEGACY_TIMEOUT, everything else
// that kept us from a response (refused, reset, DNS, connect timeout, TLS verification) → 502
// GW_ERR_LEGACY_UNAVAILABLE. A wrapper (a retry's, the forwarder's) keeps undici's error as its
// `cause`, so the whole chain is inspected.
import { LegacyTimeoutError, LegacyUnavailableError, PayloadTooLargeError, RequestInvalidError } from '../errors.js'

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])

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

// undici's refusals of what the CLIENT sent (a header it does not support, a body that does not
// match its length, an aborted body) and the gateway's own request errors: legacy never saw a
// broken request, so neither its breaker nor a 502 may blame legacy for it.
const CLIENT_CAUSED = new Set([
  'UND_ERR_INVALID_ARG', 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH', 'UND_ERR_NOT_SUPPORTED', 'UND_ERR_ABORTED',
  'GW_ERR_REQUEST_BODY_INCOMPLETE', 'GW_ERR_REQUEST_BODY_TIMEOUT', 'GW_ERR_REQUEST_INVALID'
])

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

export type LegacyFailure = InstanceType<typeof LegacyTimeoutError> | InstanceType<typeof RequestInvalidError> |
  InstanceType<typeof LegacyUnavailableError> | InstanceType<typeof PayloadTooLargeError>

export function mapLegacyError (error: unknown, timeoutMs: number): LegacyFailure {
  const chain = codes(error)
  const tooLarge = chain.includes('GW_ERR_REQUEST_PAYLOAD_TOO_LARGE')
  if (tooLarge) {
    let e: unknown = error
    while (e && (e as { code?: string }).code !== 'GW_ERR_REQUEST_PAYLOAD_TOO_LARGE') e = (e as { cause?: unknown }).cause
    return e as InstanceType<typeof PayloadTooLargeError>
  }
  if (chain.some(c => CLIENT_CAUSED.has(c))) return Object.assign(new RequestInvalidError('the request could not be forwarded as sent'), { cause: error })
  if (chain.some(c => TIMEOUT_CODES.has(c))) return Object.assign(new LegacyTimeoutError(timeoutMs), { cause: error })
  const reason = chain.map(c => REASONS[c]).find(Boolean) ?? 'upstream error'
  return Object.assign(new LegacyUnavailableError(reason), { cause: error })
}

/** True when the failed legacy call failed because of the client's request, not legacy. */
export function isClientCausedError (error: unknown): boolean {
  return codes(error).some(c => CLIENT_CAUSED.has(c))
}
