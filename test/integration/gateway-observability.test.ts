// Observability: one JSON log line per request with every field ops need (and no secrets), the
// contract's metric names on the admin port, /healthz and /readyz semantics, and the admin
// surface kept off the public port.
import t from 'tap'
import { request } from 'undici'
import { createLogger } from '../../gateway/src/logging.js'
import { echoHandler, logCapture, rawRequest, startOrigin, startTestGateway, testConfig } from '../helpers/gateway.js'
import { parseAdminTokens } from '../../gateway/src/ops/admin-auth.js'

t.test('one log line per request with the routing facts, secrets redacted', async (t) => {
  const origin = await startOrigin(t, echoHandler())
  const cap = logCapture()
  const gw = await startTestGateway(t, testConfig({ legacy: { url: origin.url } }), {
    logger: createLogger({ level: 'info', stream: cap.stream })
  })
  const res = await request(`${gw.url}/api/Budgets/42?x=1`, {
    headers: { 'x-request-id': 'log-1', authorization: 'Bearer SECRET-A', cookie: 'session=SECRET-B', 'x-api-key': 'SECRET-C' }
  })
  await res.body.dump()
  await new Promise(resolve => setImmediate(resolve))
  const lines = cap.requestLines()
  t.equal(lines.length, 1, 'exactly one line for the request')
  const line = lines[0]!
  t.match(line, {
    level: 'info',
    service: 'gateway',
    msg: 'request',
    requestId: 'log-1',
    route: 'budgets.get',
    target: 'legacy',
    method: 'GET',
    path: '/api/Budgets/42',
    status: 200,
    durationMs: Number,
    upstreamMs: Number
  })
  t.same(Object.keys(line).sort(), ['durationMs', 'level', 'method', 'msg', 'path', 'requestId', 'route', 'service', 'status', 'target', 'time', 'upstreamMs'])
  t.ok((line.durationMs as number) >= (line.upstreamMs as number), 'upstream time is part of the total')
  const all = JSON.stringify(cap.lines())
  t.notMatch(all, /SECRET-/, 'no credential appears in any log line')
  t.notOk(cap.lines().some(l => l.msg === 'incoming request' || l.msg === 'request completed'), "Fastify's own request lines are off")
})

t.test('pino redaction covers credential headers wherever a headers object is logged', async (t) => {
  const cap = logCapture()
  const log = createLogger({ stream: cap.stream })
  log.info({ req: { headers: { authorization: 'Bearer x', cookie: 'c', 'set-cookie': ['s'], 'x-api-key': 'k', accept: '*/*' } } }, 'probe')
  log.info({ headers: { authorization: 'Bearer x' }, adminToken: 'tok' }, 'probe2')
  const [a, b] = cap.lines()
  t.same((a!.req as { headers: unknown }).headers, { authorization: '[REDACTED]', cookie: '[REDACTED]', 'set-cookie': '[REDACTED]', 'x-api-key': '[REDACTED]', accept: '*/*' })
  t.same(b!.headers, { authorization: '[REDACTED]' })
  t.equal(b!.adminToken, '[REDACTED]')
})

t.test('metrics: contract names and labels on /metrics', async (t) => {
  const origin = await startOrigin(t, echoHandler())
  const gw = await startTestGateway(t, testConfig({ legacy: { url: origin.url } }))
  await (await request(`${gw.url}/api/Budgets/1`)).body.dump()
  await (await request(`${gw.url}/nothing/here`)).body.dump()
  await rawRequest(`${gw.url}/api/budgets/%2e%2e/x`)
  const res = await request(`${gw.adminUrl}/metrics`)
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/plain/)
  const text = await res.body.text()
  t.match(text, /gateway_requests_total\{route="budgets.get",target="legacy",status="200"\} 1/)
  t.match(text, /gateway_requests_total\{route="default",target="legacy",status="200"\} 1/)
  t.match(text, /gateway_requests_total\{route="default",target="none",status="400"\} 1/)
  t.match(text, /gateway_request_duration_seconds_count\{route="budgets.get",target="legacy"\} 1/)
  t.match(text, /gateway_upstream_inflight\{upstream="legacy"\} 0/)
  t.match(text, /gateway_rejections_total\{route="default",reason="bad_request"\} 1/)
  for (const name of ['gateway_breaker_state', 'gateway_lambda_cold_starts_total', 'gateway_lambda_init_duration_seconds', 'gateway_shadow_comparisons_total']) {
    t.match(text, new RegExp(`# TYPE ${name} `), `${name} is registered`)
  }
  t.notMatch(text, /nothing\/here/, 'raw paths never become label values')
})

t.test('healthz, readyz (listeners up, draining) and the admin namespace', async (t) => {
  const origin = await startOrigin(t, echoHandler())
  const { tokens } = parseAdminTokens({ GATEWAY_ADMIN_TOKEN: 'test-token-123456' })
  const gw = await startTestGateway(t, testConfig({ legacy: { url: origin.url } }), { adminTokens: tokens })
  const health = await request(`${gw.adminUrl}/healthz`)
  t.same(await health.body.json(), { status: 'ok' })
  const ready = await request(`${gw.adminUrl}/readyz`)
  t.equal(ready.statusCode, 200)
  t.match(await ready.body.json(), { ready: true, status: 'ready' })

  const noToken = await request(`${gw.adminUrl}/admin/routes`)
  t.equal(noToken.statusCode, 401)
  t.match(await noToken.body.json(), { code: 'GW_ERR_ADMIN_UNAUTHORIZED', status: 401 })
  const withToken = await request(`${gw.adminUrl}/admin/nothing`, { headers: { authorization: 'Bearer test-token-123456' } })
  t.equal(withToken.statusCode, 404)
  t.match(await withToken.body.json(), { code: 'GW_ERR_ADMIN_NOT_FOUND' })

  gw.app.context.lifecycle.draining = true
  const draining = await request(`${gw.adminUrl}/readyz`)
  t.equal(draining.statusCode, 503)
  t.match(await draining.body.json(), { ready: false, status: 'draining' })
  gw.app.context.lifecycle.draining = false
})

t.test('the admin endpoints are not served on the public port', async (t) => {
  const origin = await startOrigin(t, echoHandler())
  const gw = await startTestGateway(t, testConfig({ legacy: { url: origin.url } }))
  for (const path of ['/metrics', '/healthz', '/readyz', '/admin/routes']) {
    const res = await request(`${gw.url}${path}`)
    const echo = await res.body.json() as { url: string }
    t.equal(echo.url, path, `${path} on the public port is plain routed traffic (legacy answered)`)
    t.equal(res.headers['x-gateway-route'], 'default')
  }
})
