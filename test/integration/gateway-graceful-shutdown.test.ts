// Graceful shutdown: stop() (what SIGTERM triggers) stops accepting, reports not-ready, lets
// every in-flight request finish, then closes; a request still running when
// server.shutdownGraceMs is over is cut so shutdown is bounded. The real signal path (a child
// process, SIGTERM, exit code 0) is proven in test/e2e/gateway-sigterm.test.ts.
import t from 'tap'
import { request } from 'undici'
import { startGateway } from '../../gateway/src/server.js'
import { createLogger } from '../../gateway/src/logging.js'
import { startOrigin, testConfig, until } from '../helpers/gateway.js'

const quiet = createLogger({ level: 'silent' })

t.test('N slow requests in flight all complete 200 across stop()', async (t) => {
  const N = 6
  let arrived = 0
  const origin = await startOrigin(t, (_req, res) => {
    arrived++
    setTimeout(() => res.end('done'), 400)
  })
  const gw = await startGateway({ config: testConfig({ legacy: { url: origin.url } }), port: 0, adminPort: 0, logger: quiet, env: {}, stateDir: t.testdir() })
  t.teardown(() => gw.stop())
  const inflight = Array.from({ length: N }, async () => {
    const res = await request(`${gw.url}/api/Budgets/1`)
    return { status: res.statusCode, body: await res.body.text() }
  })
  await until(() => arrived >= N)

  const stopping = gw.stop()
  const ready = await request(`${gw.adminUrl}/readyz`)
  t.equal(ready.statusCode, 503, 'not ready while draining')
  await ready.body.dump()
  await t.rejects(request(`${gw.url}/api/Budgets/1`), 'a new connection is refused while draining')

  const results = await Promise.all(inflight)
  await stopping
  t.same(results, Array.from({ length: N }, () => ({ status: 200, body: 'done' })), 'every in-flight request completed')
  t.equal(gw.app.public.server.listening, false)
  t.equal(gw.app.admin.server.listening, false)
})

t.test('shutdown is bounded by server.shutdownGraceMs', async (t) => {
  let arrived = false
  const origin = await startOrigin(t, () => { arrived = true /* never answers */ })
  const config = testConfig({ legacy: { url: origin.url, timeoutMs: 30_000 }, server: { shutdownGraceMs: 300 } })
  const gw = await startGateway({ config, port: 0, adminPort: 0, logger: quiet, env: {}, stateDir: t.testdir() })
  const hanging = request(`${gw.url}/api/Budgets/1`).then(r => r.statusCode, (err: Error) => err.name)
  await until(() => arrived)
  const started = Date.now()
  await gw.stop()
  const took = Date.now() - started
  t.ok(took >= 250 && took < 5000, `stop() waited for the grace period, then cut (${took} ms)`)
  t.not(await hanging, 200, 'the request that outlived the grace period was cut')
})

t.test('refuses to start: non-loopback admin host without a token', async (t) => {
  const config = testConfig()
  const bad = { ...config, admin: { ...config.admin, host: '0.0.0.0' } }
  await t.rejects(startGateway({ config: bad, port: 0, adminPort: 0, logger: quiet, env: {}, stateDir: t.testdir() }), {
    code: 'GW_ERR_ADMIN_TOKEN_REQUIRED',
    message: /refusing to start: ADMIN_HOST is 0\.0\.0\.0 \(not loopback\) and no GATEWAY_ADMIN_TOKEN is set/
  })
})
