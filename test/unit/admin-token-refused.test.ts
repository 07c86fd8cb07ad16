// Admin auth decisions: only a configured token passes, the token's name becomes "who", and a
// non-loopback admin listener without a token is a refusal to start.
import t from 'tap'
import { adminStartRefusal, authenticate, isLoopbackHost, parseAdminTokens } from '../../gateway/src/ops/admin-auth.js'

const { tokens } = parseAdminTokens({ GATEWAY_ADMIN_TOKEN: 'main-token-123', GATEWAY_ADMIN_TOKENS: 'alice:alice-tok, ci-bot:bot-tok' })

t.test('parses the main token as "admin" and named tokens', async t => {
  t.same(tokens.map(x => x.name), ['admin', 'alice', 'ci-bot'])
  t.ok(tokens.every(x => x.digest.length === 32), 'stored as SHA-256 digests, never as plain text')
  t.same(parseAdminTokens({}), { tokens: [], errors: [] })
  t.same(parseAdminTokens({ GATEWAY_ADMIN_TOKEN: '', GATEWAY_ADMIN_TOKENS: ' ' }).tokens, [])
})

t.test('malformed GATEWAY_ADMIN_TOKENS entries are reported, not half-applied', async t => {
  const r = parseAdminTokens({ GATEWAY_ADMIN_TOKENS: 'ok:t1,notoken,bad name:t2,ok:t3,empty:' })
  t.same(r.tokens.map(x => x.name), ['ok'])
  t.same(r.errors, [
    'GATEWAY_ADMIN_TOKENS entry 2: expected name:token with name of [A-Za-z0-9._-]',
    'GATEWAY_ADMIN_TOKENS entry 3: expected name:token with name of [A-Za-z0-9._-]',
    'GATEWAY_ADMIN_TOKENS entry 4: duplicate name "ok"',
    'GATEWAY_ADMIN_TOKENS entry 5: expected name:token with name of [A-Za-z0-9._-]'
  ])
  t.same(parseAdminTokens({ GATEWAY_ADMIN_TOKEN: 'x', GATEWAY_ADMIN_TOKENS: 'admin:y' }).errors, ['GATEWAY_ADMIN_TOKENS entry 1: duplicate name "admin"'])
})

t.test('authenticate: right token passes with its name; everything else fails', async t => {
  t.same(authenticate('Bearer main-token-123', tokens), { ok: true, who: 'admin' })
  t.same(authenticate('bearer alice-tok', tokens), { ok: true, who: 'alice' })
  t.same(authenticate('Bearer bot-tok ', tokens), { ok: true, who: 'ci-bot' })
  t.same(authenticate(undefined, tokens), { ok: false, reason: 'missing bearer token' })
  t.same(authenticate('Basic YWRtaW46eA==', tokens), { ok: false, reason: 'missing bearer token' })
  t.same(authenticate('Bearer', tokens), { ok: false, reason: 'missing bearer token' })
  t.same(authenticate('Bearer main-token-12', tokens), { ok: false, reason: 'invalid bearer token' }, 'a prefix is not enough')
  t.same(authenticate('Bearer main-token-1234', tokens), { ok: false, reason: 'invalid bearer token' }, 'nor a longer token')
  t.same(authenticate('Bearer a b', tokens), { ok: false, reason: 'missing bearer token' })
  t.match(authenticate('Bearer anything', []), { ok: false, reason: /no admin token is configured/ })
})

t.test('loopback detection', async t => {
  for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1', 'LOCALHOST']) t.ok(isLoopbackHost(h), h)
  for (const h of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.1', 'gateway.internal', '128.0.0.1', '::ffff:10.0.0.1']) t.notOk(isLoopbackHost(h), h)
})

t.test('refuse to start: non-loopback admin host and no token', async t => {
  t.match(adminStartRefusal('0.0.0.0', []), /ADMIN_HOST is 0\.0\.0\.0 \(not loopback\) and no GATEWAY_ADMIN_TOKEN is set/)
  t.equal(adminStartRefusal('0.0.0.0', tokens), undefined, 'a token makes a public admin port acceptable')
  t.equal(adminStartRefusal('127.0.0.1', []), undefined, 'loopback without a token starts (admin calls are then refused)')
})
