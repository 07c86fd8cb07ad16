// TLS through the lean forwarder is always verified: a self-signed legacy is refused with 502
// (never reached) unless its CA is the extra CA given to the pool; an unrelated extra CA does
// not make it acceptable.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { request } from 'undici'
import { startForwarderHarness } from '../helpers/legacy-forwarder-harness.js'

const dir = new URL('../fixtures/gateway-tls/', import.meta.url)
const cert = readFileSync(new URL('cert.pem', dir))
const key = readFileSync(new URL('key.pem', dir))
const otherCert = readFileSync(new URL('other-cert.pem', dir))

async function startHttpsOrigin (t: { teardown: (fn: () => unknown) => void }): Promise<{ url: string, hits: () => number }> {
  let hits = 0
  const server = createServer({ cert, key }, (_req, res) => { hits++; res.end('secure hello') })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) }))
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits }
}

t.test('with its CA as the extra CA, the TLS legacy is reached', async (t) => {
  const origin = await startHttpsOrigin(t)
  const h = await startForwarderHarness(t, origin.url, { tls: { ca: cert } })
  const res = await request(`${h.url}/s`)
  t.equal(res.statusCode, 200)
  t.equal(await res.body.text(), 'secure hello')
  t.equal(origin.hits(), 1)
})

for (const [name, tls] of [['no extra CA', {}], ['a wrong extra CA', { ca: otherCert }]] as const) {
  t.test(`${name}: 502 TLS certificate not trusted, legacy never reached`, async (t) => {
    const origin = await startHttpsOrigin(t)
    const h = await startForwarderHarness(t, origin.url, { tls })
    const res = await request(`${h.url}/s`)
    t.equal(res.statusCode, 502)
    t.match(await res.body.json(), { code: 'GW_ERR_LEGACY_UNAVAILABLE', detail: 'legacy backend unreachable: TLS certificate not trusted' })
    t.equal(origin.hits(), 0)
  })
}
