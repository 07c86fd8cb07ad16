// The protection instance in a real Fastify app in front of the real stub: per-client 429 with Retry-After
// and RateLimit-* as problem+json (the app's error handler), a noisy client isolated from a
// quiet one, and a breaker forced open through the admin port adapter answering 503 breaker_open.
import t from 'tap'
import Fastify from 'fastify'
import { request } from 'undici'
import { Protection } from '../../gateway/src/protection/protection.js'
import type {} from '../../gateway/src/protection/protection-hooks.plugin.js'
import { breakerControlFrom } from '../../gateway/src/ops/admin-routes-breakers.js'
import { clientGoneSignal } from '../../gateway/src/protection/rejection-reply.js'
import { gatewayErrorHandler } from '../../gateway/src/http/error-handler.js'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'

t.test('plugin + error handler: 429/503 problem+json with Retry-After; noisy client isolated; forced breaker via the ops adapter', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 1 })
  const app = Fastify()
  const rejected: string[] = []
  const protection = new Protection({
    maxConcurrency: 4,
    rateLimit: { perSecond: 1000, burst: 1000 },
    clientRateLimit: { perSecond: 0.5, burst: 2, key: 'header:x-api-key', trustJwt: false, maxKeys: 100 }
  }, { logger: app.log, hooks: { onReject: (route, reason) => rejected.push(`${route}:${reason}`) } })
  app.decorate('protection', protection)
  app.addHook('onClose', async () => { protection.close() })
  app.setErrorHandler(gatewayErrorHandler)
  app.get('/api/Users', async (req, reply) => {
    const body = await app.protection.legacy.run({
      routeId: 'users.list',
      method: req.method,
      clientKey: app.protection.clientKeyOf({ headers: req.headers, ip: req.ip }),
      signal: clientGoneSignal(reply),
      setHeader: (name, value) => { reply.header(name, value) }
    }, async (signal) => {
      const res = await request(`${stub.url}/api/Users`, { signal })
      return await res.body.json()
    })
    return body
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
  const get = (key: string) => fetch(`${base}/api/Users`, { headers: { 'x-api-key': key } })

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

  const control = breakerControlFrom(app.protection.breakers)
  t.ok(await control.open('legacy'))
  t.notOk(await control.open('nope'), 'unknown id')
  const open = await get('quiet')
  t.equal(open.status, 503)
  t.ok(Number(open.headers.get('retry-after')) >= 1)
  t.match(await open.json(), { code: 'GW_ERR_BREAKER_OPEN', status: 503 })
  t.match(await control.list(), [{ id: 'legacy', name: 'legacy', state: 'open', stateValue: 2, forced: 'open' }])
  t.ok(await control.close('legacy'))
  t.match(await control.list(), [{ id: 'legacy', state: 'closed', forced: null }])
  t.equal((await get('calm')).status, 200, 'closed again (a fresh client: rate limits apply before the breaker)')
  t.same(rejected, ['users.list:rate_limited', 'users.list:breaker_open'])
})
