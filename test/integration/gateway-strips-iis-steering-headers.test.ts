// Issue 14 item 5, over raw sockets: headers an IIS/ASP.NET backend would act on never reach it.
// - server.stripHeaders (default X-Original-URL, X-Rewrite-URL and the method overrides) are
//   dropped, and the list is configurable;
// - X-Real-IP, True-Client-IP, X-Client-IP are treated like X-Forwarded-For: dropped for an
//   untrusted peer, kept for a trusted proxy;
// - an underscore spelling of any stripped, replaced or internal name (IIS reads `X_Foo` as the
//   server variable of `X-Foo`) is dropped whoever the peer is.
import t from 'tap'
import type { Test } from 'tap'
import type { IncomingHttpHeaders } from 'node:http'
import type { GatewayConfig } from '../../gateway/src/config/schema.js'
import { startOrigin, startTestGateway, testConfig } from '../helpers/gateway.js'
import { rawExchange, rawRequestBytes } from '../helpers/raw-exchange.js'

const STEERING = [
  'X-Original-URL: /api/admin/purge',
  'X-Rewrite-URL: /api/admin/purge',
  'X-HTTP-Method-Override: DELETE',
  'X-HTTP-Method: DELETE',
  'X-Method-Override: DELETE'
]
const CLIENT_ADDRESS = ['X-Real-IP: 6.6.6.6', 'True-Client-IP: 6.6.6.6', 'X-Client-IP: 6.6.6.6']
const UNDERSCORED = [
  'X_Forwarded_For: 6.6.6.6',
  'x_forwarded_host: evil.test',
  'X_Real_IP: 6.6.6.6',
  'x_original_url: /api/admin/purge',
  'X_HTTP_Method_Override: DELETE',
  'x_internal_user: admin',
  'x_gateway_target: lambda',
  'X_Request_ID: spoofed',
  'x-forwarded_proto: https'
]

async function forwarded (t: Test, server: Partial<GatewayConfig['server']>, lines: string[]): Promise<IncomingHttpHeaders> {
  const seen: IncomingHttpHeaders[] = []
  const legacy = await startOrigin(t, (req, res) => { seen.push(req.headers); res.end('ok') })
  const gw = await startTestGateway(t, testConfig({ legacy: { url: legacy.url }, server: { internalHeaders: ['x-internal-user'], ...server } }))
  const answer = await rawExchange(gw.url, rawRequestBytes('GET', '/api/Budgets/1', [...lines, 'X-Keep_Me: yes']))
  t.equal(answer.status, 200, 'the gateway forwarded', { answer: answer.text })
  const headers = seen[0]
  if (headers === undefined) throw new Error('legacy received nothing')
  t.equal(headers['x-keep_me'], 'yes', 'an underscore header that is no guarded name passes')
  return headers
}

t.test('IIS rewrite and method-override headers are stripped by default', async t => {
  const h = await forwarded(t, {}, STEERING)
  for (const name of ['x-original-url', 'x-rewrite-url', 'x-http-method-override', 'x-http-method', 'x-method-override']) {
    t.notOk(name in h, `${name} is not forwarded`)
  }
})

t.test('server.stripHeaders is the list: configured names are stripped, the rest pass', async t => {
  const h = await forwarded(t, { stripHeaders: ['x-legacy-impersonate'] }, ['X-Legacy-Impersonate: root', 'X-Original-URL: /x'])
  t.notOk('x-legacy-impersonate' in h, 'a configured name is stripped')
  t.equal(h['x-original-url'], '/x', 'a name taken off the list passes (the operator chose so)')
})

t.test('untrusted peer: X-Real-IP, True-Client-IP, X-Client-IP are dropped like X-Forwarded-For', async t => {
  const h = await forwarded(t, {}, [...CLIENT_ADDRESS, 'X-Forwarded-For: 6.6.6.6'])
  for (const name of ['x-real-ip', 'true-client-ip', 'x-client-ip']) t.notOk(name in h, `${name} is not forwarded`)
  t.equal(h['x-forwarded-for'], '127.0.0.1', 'the real peer')
})

t.test('trusted proxy: its client-address headers are kept', async t => {
  const h = await forwarded(t, { trustedProxies: ['127.0.0.1'] }, [...CLIENT_ADDRESS, 'X-Forwarded-For: 203.0.113.7', 'Forwarded: for=203.0.113.7'])
  t.equal(h['x-real-ip'], '6.6.6.6')
  t.equal(h['true-client-ip'], '6.6.6.6')
  t.equal(h['x-client-ip'], '6.6.6.6')
  t.equal(h['x-forwarded-for'], '203.0.113.7, 127.0.0.1', 'extended with the peer')
  t.equal(h.forwarded, 'for=203.0.113.7, for=127.0.0.1', 'Forwarded extended with the peer (RFC 7239)')
})

for (const trustedProxies of [[], ['127.0.0.1']]) {
  t.test(`underscore spellings of guarded names are dropped (trustedProxies: [${trustedProxies.join(', ')}])`, async t => {
    const h = await forwarded(t, { trustedProxies }, UNDERSCORED)
    const left = Object.keys(h).filter(name => name.includes('_') && name !== 'x-keep_me')
    t.same(left, [], 'no underscore alias of a guarded name reached legacy')
    t.equal(h['x-forwarded-for'], '127.0.0.1', 'X_Forwarded_For did not become part of the chain')
    t.notOk('x-internal-user' in h)
    t.match(h['x-request-id'], /^[0-9a-f-]{36}$/)
  })
}
