// Issue 14 item 3: an async job is delivered to legacy with exactly the headers a synchronous
// forward of the same request sends. Two gateways in front of one recording legacy (the billing
// route async on one, synchronous on the other) receive the same hostile raw request: spoofed
// client address (X-Forwarded-For/-Host, Forwarded, X-Real-IP), an internal header, a malformed
// request id, an IIS rewrite header and underscore spellings. Both recorded header sets must be
// equal, apart from the per-request id and the delivery's own idempotency-key / x-gateway-job-id.
import t from 'tap'
import type { IncomingHttpHeaders } from 'node:http'
import type { RouteConfig } from '../../gateway/src/config/schema.js'
import type { GatewayConfig } from '../../gateway/src/config/schema.js'
import { billingRoute, waitFor } from '../helpers/async.js'
import { startOrigin, startTestGateway, testConfig } from '../helpers/gateway.js'
import { rawExchange, rawRequestBytes } from '../helpers/raw-exchange.js'

const HOSTILE = [
  'Content-Type: application/json',
  'X-Forwarded-For: 6.6.6.6',
  'X-Forwarded-Host: evil.test',
  'X-Forwarded-Proto: https',
  'Forwarded: for=6.6.6.6;host=evil.test;proto=https',
  'X-Real-IP: 6.6.6.6',
  'x-internal-user: admin',
  'x-request-id: not a well-formed id <script>',
  'X-Original-URL: /api/admin/purge',
  'X_Forwarded_For: 6.6.6.6',
  'X-Keep: yes'
]
const BODY = JSON.stringify({ ProjectId: 1, Amount: 10.5, Currency: 'EUR', Description: 'parity', BilledOn: '2026-11-27' })
const PER_REQUEST = ['x-request-id', 'idempotency-key', 'x-gateway-job-id']

function configFor (legacyUrl: string, route: RouteConfig): GatewayConfig {
  return { ...testConfig({ legacy: { url: legacyUrl }, server: { internalHeaders: ['x-internal-user'] }, routes: [route] }), async: { pollMs: 20 } } as unknown as GatewayConfig
}

function withoutPerRequest (headers: IncomingHttpHeaders): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_REQUEST.includes(name)))
}

t.test('the delivered job carries the synchronous forward\'s headers', async t => {
  const seen: IncomingHttpHeaders[] = []
  const legacy = await startOrigin(t, (req, res) => {
    seen.push(req.headers)
    res.writeHead(201, { 'content-type': 'application/json' }).end('{"Id":1}')
  })
  const sync = await startTestGateway(t, configFor(legacy.url, { id: 'billings.create', methods: ['POST'], path: '/api/billings', target: 'legacy' } as RouteConfig))
  const asyncGw = await startTestGateway(t, configFor(legacy.url, billingRoute()), { asyncBaseDir: t.testdir() })
  const jobs = asyncGw.app.asyncJobs
  if (jobs === undefined) throw new Error('the async route did not open the async integration')
  t.teardown(() => jobs.stop())
  jobs.start()

  const direct = await rawExchange(sync.url, rawRequestBytes('POST', '/api/billings', HOSTILE, BODY))
  t.equal(direct.status, 201, 'the synchronous forward answered', { answer: direct.text })
  const syncHeaders = seen.shift()
  const accepted = await rawExchange(asyncGw.url, rawRequestBytes('POST', '/api/billings', HOSTILE, BODY))
  t.equal(accepted.status, 202, 'the async intake accepted', { answer: accepted.text })
  await waitFor('the job delivered to legacy', () => seen.length > 0)
  const jobHeaders = seen[0]
  if (syncHeaders === undefined || jobHeaders === undefined) throw new Error('legacy recorded no request')

  t.same(withoutPerRequest(jobHeaders), withoutPerRequest(syncHeaders), 'same headers as the synchronous forward')
  t.equal(syncHeaders['x-request-id'], direct.headers['x-request-id'], 'sync: the id the client was answered with')
  t.equal(jobHeaders['x-request-id'], accepted.headers['x-request-id'], 'async: the id of the 202')
  t.match(jobHeaders['x-request-id'], /^[0-9a-f-]{36}$/, 'the malformed id was replaced')
  t.equal(jobHeaders['x-forwarded-for'], '127.0.0.1', 'the real peer, not 6.6.6.6')
  t.equal(jobHeaders['x-forwarded-host'], 'gw.test', 'the Host the client used, not evil.test')
  t.equal(jobHeaders['x-forwarded-proto'], 'http')
  for (const name of ['forwarded', 'x-real-ip', 'x-internal-user', 'x-original-url', 'x_forwarded_for']) {
    t.notOk(name in jobHeaders, `${name} is not delivered`)
  }
  t.equal(jobHeaders['x-keep'], 'yes', 'ordinary headers are delivered')
  t.ok(jobHeaders['idempotency-key'], 'the delivery adds its own idempotency key')
})
