// TLS through the lean forwarder is always verified: a self-signed legacy is refused with 502
// (never reached) unless its CA is the extra CA given to the pool; an unrelated extra CA does
// not make it acceptable.
import t from 'tap'
import { request } from 'undici'
import { otherCert, originCert as cert, startHttpsOrigin } from '../helpers/https-origin.js'
import { startForwarderHarness } from '../helpers/legacy-forwarder-harness.js'

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
