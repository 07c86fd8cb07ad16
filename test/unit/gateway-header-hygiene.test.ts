// The pure header rules: hop-by-hop and Connection-listed headers, internal headers,
// x-forwarded-* for trusted and untrusted peers, IPv4-mapped peers, CIDR trust lists.
import t from 'tap'
import { backwardResponseHeaders, forwardRequestHeaders, isHopByHop } from '../../gateway/src/http/header-hygiene.js'
import { compileTrustedProxies, unmapIPv4 } from '../../gateway/src/http/trusted-proxies.js'
import { isWellFormedRequestId } from '../../gateway/src/http/request-id.js'

const base = { peerTrusted: false, encrypted: false, requestId: 'rid', internalHeaders: new Set(['x-user-role']) }

t.test('hop-by-hop and Connection-listed headers are dropped', async (t) => {
  const out = forwardRequestHeaders({
    connection: 'Keep-Alive, X-Custom',
    'keep-alive': '5',
    'x-custom': '1',
    te: 'trailers',
    trailer: 'x',
    'transfer-encoding': 'chunked',
    upgrade: 'websocket',
    'proxy-authorization': 'b',
    'proxy-connection': 'k',
    accept: 'a'
  }, { ...base, peer: '10.0.0.1' })
  t.same(Object.keys(out).sort(), ['accept', 'x-forwarded-for', 'x-forwarded-proto', 'x-request-id'])
  t.ok(isHopByHop('proxy-anything'))
  t.notOk(isHopByHop('authorization'))
})

t.test('internal headers cannot be spoofed; x-forwarded-* rebuilt for an untrusted peer', async (t) => {
  const out = forwardRequestHeaders({
    host: 'api.example',
    'x-gateway-target': 'lambda',
    'x-user-role': 'admin',
    'x-forwarded-for': '1.2.3.4',
    'x-forwarded-host': 'evil',
    'x-forwarded-proto': 'https',
    'x-forwarded-port': '1',
    forwarded: 'for=1.2.3.4',
    'x-request-id': 'spoof'
  }, { ...base, peer: '::ffff:10.0.0.1', encrypted: true })
  t.same(out, {
    host: 'api.example',
    'x-forwarded-for': '10.0.0.1',
    'x-forwarded-proto': 'https',
    'x-forwarded-host': 'api.example',
    'x-request-id': 'rid'
  })
})

t.test('a trusted peer extends x-forwarded-for and keeps proto/host', async (t) => {
  const out = forwardRequestHeaders({
    host: 'internal:8080', 'x-forwarded-for': ['1.1.1.1', '2.2.2.2'], 'x-forwarded-proto': 'https', 'x-forwarded-host': 'app.example'
  }, { ...base, peer: '10.0.0.1', peerTrusted: true })
  t.equal(out['x-forwarded-for'], '1.1.1.1, 2.2.2.2, 10.0.0.1')
  t.equal(out['x-forwarded-proto'], 'https')
  t.equal(out['x-forwarded-host'], 'app.example')
})

t.test('upstream responses lose hop-by-hop, routing and request-id headers', async (t) => {
  t.same(backwardResponseHeaders({
    connection: 'keep-alive',
    'keep-alive': 'timeout=5',
    'x-gateway-route': 'x',
    'x-request-id': 'u',
    'set-cookie': ['a=1', 'b=2'],
    'content-type': 'text/plain'
  }), { 'set-cookie': ['a=1', 'b=2'], 'content-type': 'text/plain' })
})

t.test('trusted proxies: IPs and CIDRs, v4 and v6, mapped addresses; bad entries refused', async (t) => {
  const trust = compileTrustedProxies(['10.0.0.0/8', '192.168.1.5', 'fd00::/8'])
  t.ok(trust('10.20.30.40'))
  t.ok(trust('::ffff:10.1.1.1'))
  t.ok(trust('192.168.1.5'))
  t.notOk(trust('192.168.1.6'))
  t.ok(trust('fd00::1'))
  t.notOk(trust('2001:db8::1'))
  t.notOk(trust(undefined))
  t.notOk(compileTrustedProxies([])('10.0.0.1'))
  t.throws(() => compileTrustedProxies(['not-an-ip']), /not an IP or CIDR/)
  t.equal(unmapIPv4('::ffff:127.0.0.1'), '127.0.0.1')
  t.equal(unmapIPv4('::1'), '::1')
})

t.test('request ids: well-formed kept, anything else refused', async (t) => {
  for (const ok of ['abc', 'A-1.b_c:d', 'x'.repeat(128)]) t.ok(isWellFormedRequestId(ok), ok)
  for (const bad of ['', 'a b', 'x'.repeat(129), 'é', 'a\nb', undefined, ['a']]) t.notOk(isWellFormedRequestId(bad), String(bad))
})
