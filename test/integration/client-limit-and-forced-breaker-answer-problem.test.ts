// The gateway as shipped (config file → shell → protection) in front of the real stub: a noisy
// client's 429 carries Retry-After and RateLimit-* as problem+json, a quiet client is not
// affected, and the legacy breaker forced open through the admin API answers 503 breaker_open
// until it is closed again; both rejections are counted.
import t from 'tap'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'
import { admin, startWiredGateway, wiredConfig } from '../helpers/wired-gateway.js'

t.test('per-client 429 and a forced breaker answer problem+json; a quiet client is isolated', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 1 })
  const doc = wiredConfig({
    legacyUrl: stub.url,
    legacy: {
      maxConcurrency: 4,
      rateLimit: { perSecond: 1000, burst: 1000 },
      clientRateLimit: { perSecond: 0.5, burst: 2, key: 'header:x-api-key', trustJwt: false, maxKeys: 100 }
    }
  })
  const gw = await startWiredGateway(t, { doc })
  const get = (key: string) => fetch(`${gw.url}/api/Users`, { headers: { 'x-api-key': key } })

  const first = await get('noisy')
  t.equal(first.status, 200)
  t.equal(first.headers.get('ratelimit-limit'), '2')
  t.equal(first.headers.get('ratelimit-remaining'), '1')
  t.equal((await get('noisy')).status, 200)
  const limited = await get('noisy')
  t.equal(limited.status, 429)
  t.equal(limited.headers.get('content-type'), 'application/problem+json')
  t.equal(limited.headers.get('retry-after'), '2', 'one token at 0.5/s')
  t.equal(limited.headers.get('ratelimit-remaining'), '0')
  t.match(await limited.json(), { status: 429, code: 'GW_ERR_RATE_LIMITED', title: 'Too Many Requests', requestId: String })
  t.equal((await get('quiet')).status, 200, 'another client is not affected')

  t.equal((await admin(gw, '/admin/breakers/legacy/open', { method: 'POST' })).status, 200)
  t.equal((await admin(gw, '/admin/breakers/nope/open', { method: 'POST' })).status, 404, 'unknown id')
  const open = await get('quiet')
  t.equal(open.status, 503)
  t.ok(Number(open.headers.get('retry-after')) >= 1)
  t.match(await open.json(), { code: 'GW_ERR_BREAKER_OPEN', status: 503 })
  t.match((await admin(gw, '/admin/breakers')).json.breakers, [{ id: 'legacy', name: 'legacy', state: 'open', stateValue: 2, forced: 'open' }])
  t.equal((await admin(gw, '/admin/breakers/legacy/close', { method: 'POST' })).status, 200)
  t.match((await admin(gw, '/admin/breakers')).json.breakers, [{ id: 'legacy', state: 'closed', forced: null }])
  t.equal((await get('calm')).status, 200, 'closed again (a fresh client: rate limits apply before the breaker)')

  const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text()
  t.match(metrics, /^gateway_rejections_total\{route="default",reason="rate_limited"\} 1$/m)
  t.match(metrics, /^gateway_rejections_total\{route="default",reason="breaker_open"\} 1$/m)
})
