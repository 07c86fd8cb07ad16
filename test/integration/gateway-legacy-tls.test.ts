// TLS to an https legacy URL verifies the certificate: reply-from would default
// `rejectUnauthorized` to false, the gateway's own pool sets it true. A self-signed backend is
// refused with 502 unless its CA is trusted (the `legacyTls.ca` build option here; operators use
// NODE_EXTRA_CA_CERTS, see docs/operations.md).
import t from 'tap'
import { request } from 'undici'
import { originCert as cert, startHttpsOrigin } from '../helpers/https-origin.js'
import { startTestGateway, testConfig } from '../helpers/gateway.js'

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
