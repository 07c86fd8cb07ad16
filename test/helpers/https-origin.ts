// A self-signed HTTPS origin on port 0 (test/fixtures/gateway-tls), for the tests that prove the
// legacy pool always verifies TLS: through the gateway and through the forwarder alone.
import { readFileSync } from 'node:fs'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'

const dir = new URL('../fixtures/gateway-tls/', import.meta.url)
/** The origin's self-signed certificate: the extra CA that makes it trusted. */
export const originCert = readFileSync(new URL('cert.pem', dir))
const originKey = readFileSync(new URL('key.pem', dir))
/** An unrelated certificate: as an extra CA it must not make the origin trusted. */
export const otherCert = readFileSync(new URL('other-cert.pem', dir))

/** Answers every request `secure hello` and counts what reached it. */
export async function startHttpsOrigin (t: { teardown: (fn: () => unknown) => void }): Promise<{ url: string, hits: () => number }> {
  let hits = 0
  const server = createServer({ cert: originCert, key: originKey }, (_req, res) => { hits++; res.end('secure hello') })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) }))
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits }
}
