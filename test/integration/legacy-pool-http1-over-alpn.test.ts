// undici 8 negotiates HTTP/2 by ALPN by default; the legacy pool must not (legacy-pool.ts
// allowH2: false): legacy.connections caps real connections, one call each. An https legacy
// that offers h2 and http/1.1 (as IIS and Kestrel do) is still spoken to in HTTP/1.1.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { createSecureServer } from 'node:http2'
import type { AddressInfo } from 'node:net'
import { request } from 'undici'
import { startTestGateway, testConfig } from '../helpers/gateway.js'

const dir = new URL('../fixtures/gateway-tls/', import.meta.url)
const cert = readFileSync(new URL('cert.pem', dir))
const key = readFileSync(new URL('key.pem', dir))

t.test('a legacy offering h2 by ALPN is proxied over HTTP/1.1', async (t) => {
  const versions: string[] = []
  const server = createSecureServer({ cert, key, allowHTTP1: true }, (req, res) => {
    versions.push(req.httpVersion)
    res.end(`hello over ${req.httpVersion}`)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>(resolve => server.close(() => resolve())))
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`

  const gw = await startTestGateway(t, testConfig({ legacy: { url } }), { legacyTls: { ca: cert } })
  for (let i = 0; i < 2; i++) {
    const res = await request(`${gw.url}/api/Budgets/1`)
    t.equal(res.statusCode, 200)
    t.equal(await res.body.text(), 'hello over 1.1')
  }
  t.same(versions, ['1.1', '1.1'], 'both calls reached legacy as HTTP/1.1')
})
