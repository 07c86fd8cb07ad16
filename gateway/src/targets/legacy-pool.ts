// The keep-alive connection pool to legacy, shared by the live forward (legacy-forwarder.ts),
// shadow calls and async deliveries, and closed by the app on shutdown. TLS verification is
// always on (a proxy library's default of `rejectUnauthorized: false` never applies here); a
// private CA is trusted through NODE_EXTRA_CA_CERTS (operators) or the `ca` option (tests).
import { Pool } from 'undici'
import type { GatewayConfig } from '../config/schema.js'

export interface LegacyPoolOptions {
  /** Extra CA certificate(s) (PEM) to trust for an https legacy URL; defaults to the system store. */
  ca?: string | Buffer | Array<string | Buffer>
}

export function createLegacyPool (legacy: GatewayConfig['legacy'], opts: LegacyPoolOptions = {}): Pool {
  const origin = new URL(legacy.url).origin
  return new Pool(origin, {
    connections: legacy.connections,
    pipelining: 1,
    // HTTP/1.1 only, as in undici 7: v8 would speak HTTP/2 to a TLS legacy that offers h2 by ALPN
    // (IIS/Kestrel do), multiplexing every call over one connection past legacy.connections.
    allowH2: false,
    keepAliveTimeout: legacy.keepAliveTimeoutMs,
    headersTimeout: legacy.timeoutMs,
    bodyTimeout: legacy.timeoutMs,
    connect: {
      timeout: legacy.connectTimeoutMs,
      rejectUnauthorized: true,
      ...(opts.ca !== undefined ? { ca: opts.ca } : {})
    }
  })
}
