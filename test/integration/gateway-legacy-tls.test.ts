// TLS to an https legacy URL verifies the certificate: reply-from would default
// `rejectUnauthorized` to false, the gateway's own pool sets it true. A self-signed backend is
// refused with 502 unless its CA is trusted (the `legacyTls.ca` build option here; operators use
// NODE_EXTRA_CA_CERTS, see docs/operations.md).
import t from 'tap'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { request } from 'undici'
import { startTestGateway, testConfig } from '../helpers/gateway.js'

const dir = new URL('../fixtures/gateway-tls/', import.meta.url)
const cert = readFileSync(new URL('cert.pem', dir))
const key = readFileSync(new URL('key.pem', dir))

async function startHttpsOrigin (t: { teardown: (fn: () => unknown) => void }): Promise<{ url: string, hits: () => number }> {
  let hits = 0
  const server = createServer({ cert, key }, (_req, res) => { hits++; res.end('secure hello') })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) }))
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits }
}

t.test('an untrusted self-signed legacy certificate → 502, the request never reaches it', async (t) => {
  const origin = await startHttpsOrigin(t)
  const gw = await startTestGateway(t, testConfig({ legacy: { url: origin.url } }))
  const res = await request(`${gw.url}/api/Budgets/1`, { headers: { 'x-request-id': 'r-tls' } })
  t.equal(res.statusCode, 502)
  t.same(await res.body.json(), {
    type: 'urn:strangler-gateway:problem:legacy-unavailable',
    title: 'Bad Gateway',
    status: 502,
    detail: 'legacy backend unreachable: TLS certificate not trusted',
    code: 'GW_ERR_LEGACY_UNAVAILABLE',
    requestId: 'r-tls'
  })
  t.equal(origin.hits(), 0)
})

t.test('the same backend is proxied once its CA is trusted', async (t) => {
  const origin = await startHttpsOrigin(t)
  const gw = await startTestGateway(t, testConfig({ legacy: { url: origin.url } }), { legacyTls: { ca: cert } })
  const res = await request(`${gw.url}/api/Budgets/1`)
  t.equal(res.statusCode, 200)
  t.equal(await res.body.text(), 'secure hello')
  t.equal(origin.hits(), 1)
})
