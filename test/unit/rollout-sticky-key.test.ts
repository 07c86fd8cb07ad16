// Sticky-key extraction: header, cookie, ip and an unverified JWT `sub`; anything unusable is
// "no key" (random side), never an error on the hot path.
import t from 'tap'
import { extractStickyKey, parseStickyBy, readCookie, readJwtSub } from '../../gateway/src/routing/rollout-key.js'

const jwt = (payload: unknown): string =>
  `Bearer ${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2ln`

t.test('parseStickyBy accepts the four forms and refuses others', async t => {
  t.same(parseStickyBy('header:X-User-Id'), { kind: 'header', name: 'x-user-id' })
  t.same(parseStickyBy('cookie:session'), { kind: 'cookie', name: 'session' })
  t.same(parseStickyBy('ip'), { kind: 'ip' })
  t.same(parseStickyBy('jwt:sub'), { kind: 'jwt-sub' })
  t.throws(() => parseStickyBy('header:'), /stickyBy must be/)
  t.throws(() => parseStickyBy('query:user'), /stickyBy must be/)
  t.throws(() => parseStickyBy('jwt:email'), /stickyBy must be/)
})

t.test('header key: first value, empty or oversized is no key', async t => {
  const spec = parseStickyBy('header:x-user-id')
  t.equal(extractStickyKey(spec, { headers: { 'x-user-id': 'u-1' }, ip: '10.0.0.1' }), 'u-1')
  t.equal(extractStickyKey(spec, { headers: { 'x-user-id': ['u-2', 'u-3'] }, ip: undefined }), 'u-2')
  t.equal(extractStickyKey(spec, { headers: { 'x-user-id': '' }, ip: undefined }), undefined)
  t.equal(extractStickyKey(spec, { headers: { 'x-user-id': 'x'.repeat(9000) }, ip: undefined }), undefined)
  t.equal(extractStickyKey(spec, { headers: {}, ip: '10.0.0.1' }), undefined)
})

t.test('cookie key', async t => {
  const spec = parseStickyBy('cookie:session')
  t.equal(extractStickyKey(spec, { headers: { cookie: 'a=1; session=abc123; b=2' }, ip: undefined }), 'abc123')
  t.equal(extractStickyKey(spec, { headers: { cookie: 'sessionx=1; session=' }, ip: undefined }), undefined)
  t.equal(extractStickyKey(spec, { headers: {}, ip: undefined }), undefined)
  t.equal(readCookie('junk; session=s1', 'session'), 's1')
})

t.test('ip key', async t => {
  t.equal(extractStickyKey({ kind: 'ip' }, { headers: {}, ip: '192.0.2.7' }), '192.0.2.7')
  t.equal(extractStickyKey({ kind: 'ip' }, { headers: {}, ip: '' }), undefined)
  t.equal(extractStickyKey({ kind: 'ip' }, { headers: {}, ip: undefined }), undefined)
})

t.test('jwt:sub reads the payload without verifying; malformed tokens are no key', async t => {
  const spec = parseStickyBy('jwt:sub')
  t.equal(extractStickyKey(spec, { headers: { authorization: jwt({ sub: 'user-9', exp: 1 }) }, ip: undefined }), 'user-9')
  t.equal(readJwtSub(jwt({ sub: 42 })), undefined, 'non-string sub')
  t.equal(readJwtSub(jwt('just a string')), undefined, 'payload not an object')
  t.equal(readJwtSub(jwt(null)), undefined, 'null payload')
  t.equal(readJwtSub('Bearer not-a-jwt'), undefined)
  t.equal(readJwtSub('Bearer aaa.%%%.bbb'), undefined)
  t.equal(readJwtSub('Bearer aaa.bm90IGpzb24.bbb'), undefined, 'payload not JSON')
  t.equal(readJwtSub('Basic dXNlcjpwYXNz'), undefined)
  t.equal(extractStickyKey(spec, { headers: {}, ip: '1.2.3.4' }), undefined)
})
