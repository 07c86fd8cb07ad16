import t from 'tap'
import { clientKey, parseClientKeySource } from '../../gateway/src/protection/client-key.js'

const jwt = (payload: object): string =>
  `Bearer eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`

t.test('sources parse, bad ones are refused', async t => {
  t.same(parseClientKeySource('ip'), { kind: 'ip' })
  t.same(parseClientKeySource('header:X-Api-Key'), { kind: 'header', name: 'x-api-key' })
  t.same(parseClientKeySource('jwt:sub'), { kind: 'jwt', claim: 'sub' })
  t.throws(() => parseClientKeySource('cookie:session'), TypeError)
})

t.test('header source: hashed (no secret in memory), same key for same value, IP when absent', async t => {
  const src = parseClientKeySource('header:x-api-key')
  const a = clientKey(src, { headers: { 'x-api-key': 'secret-1' }, ip: '10.0.0.1' })
  t.match(a, /^header:[\w-]{22}$/)
  t.notMatch(a, /secret/)
  t.equal(clientKey(src, { headers: { 'x-api-key': 'secret-1' }, ip: '10.0.0.2' }), a, 'independent of IP')
  t.not(clientKey(src, { headers: { 'x-api-key': 'secret-2' }, ip: '10.0.0.1' }), a)
  t.equal(clientKey(src, { headers: {}, ip: '10.0.0.1' }), 'ip:10.0.0.1')
})

t.test('jwt source: used only when trusted; malformed tokens fall back to IP', async t => {
  const src = parseClientKeySource('jwt:sub')
  const input = { headers: { authorization: jwt({ sub: 'alice' }) }, ip: '10.0.0.9' }
  t.equal(clientKey(src, input), 'ip:10.0.0.9', 'untrusted: a forged sub must not buy a fresh bucket')
  const trusted = clientKey(src, input, { trustJwt: true })
  t.match(trusted, /^jwt:/)
  t.equal(clientKey(src, { headers: { authorization: jwt({ sub: 'alice', x: 1 }) }, ip: '1.1.1.1' }, { trustJwt: true }), trusted)
  t.equal(clientKey(src, { headers: { authorization: 'Bearer not-a-jwt' }, ip: '10.0.0.9' }, { trustJwt: true }), 'ip:10.0.0.9')
  t.equal(clientKey(src, { headers: { authorization: 'Bearer a.!!!.c' }, ip: '10.0.0.9' }, { trustJwt: true }), 'ip:10.0.0.9')
  t.equal(clientKey(src, { headers: { authorization: jwt({ other: 1 }) }, ip: '10.0.0.9' }, { trustJwt: true }), 'ip:10.0.0.9')
})
