// What a job stores: no hop-by-hop headers, no credentials (fixed list + configured), no
// host/content-length/idempotency-key/x-gateway-*; everything else kept; query appended.
import t from 'tap'
import { clientIdempotencyKey, idempotencyScope, requestFingerprint, storedRequest, truncateBody } from '../../gateway/src/async/job-request.js'

t.test('secrets and hop-by-hop headers are never stored', async t => {
  const stored = storedRequest({
    method: 'post',
    path: '/api/billings',
    query: 'a=1',
    body: Buffer.from('{}'),
    headers: {
      authorization: 'Bearer x',
      cookie: 'sid=1',
      'proxy-authorization': 'Basic y',
      'x-api-key': 'k',
      'x-tenant-secret': 's',
      connection: 'keep-alive, x-drop-me',
      'keep-alive': 'timeout=5',
      'x-drop-me': '1',
      'transfer-encoding': 'chunked',
      host: 'gw',
      'content-length': '2',
      'idempotency-key': 'client',
      'x-gateway-route': 'spoof',
      'content-type': 'application/json',
      'x-request-id': 'r1',
      accept: ['a', 'b']
    }
  }, ['X-Tenant-Secret'])
  t.same(stored, {
    method: 'POST',
    target: '/api/billings?a=1',
    headers: { 'content-type': 'application/json', 'x-request-id': 'r1', accept: ['a', 'b'] },
    body: Buffer.from('{}')
  })
})

t.test('idempotency keys: validated, scoped by route and credentials', async t => {
  t.equal(clientIdempotencyKey(undefined), undefined)
  t.equal(clientIdempotencyKey('abc-123'), 'abc-123')
  t.equal(clientIdempotencyKey('has space'), null)
  t.equal(clientIdempotencyKey(['a', 'b']), null)
  t.equal(clientIdempotencyKey('x'.repeat(256)), null)
  const a = idempotencyScope('billings.create', 'k', 'Bearer a')
  t.equal(a, idempotencyScope('billings.create', 'k', 'Bearer a'))
  t.not(a, idempotencyScope('billings.create', 'k', 'Bearer b'))
  t.not(a, idempotencyScope('projects.create', 'k', 'Bearer a'))
  t.notMatch(a, /Bearer/, 'the credential is hashed, never stored')
})

t.test('fingerprint and truncation', async t => {
  const req = { method: 'POST', target: '/x', headers: {}, body: Buffer.from('1') }
  t.equal(requestFingerprint(req), requestFingerprint({ ...req, headers: { a: 'b' } }), 'headers do not matter')
  t.not(requestFingerprint(req), requestFingerprint({ ...req, body: Buffer.from('2') }))
  t.same(truncateBody(Buffer.from('hello'), 10), { text: 'hello', truncated: false })
  t.same(truncateBody(Buffer.from('hello'), 3), { text: 'hel', truncated: true })
  t.same(truncateBody(Buffer.from('aé'), 2), { text: 'a', truncated: true }, 'a cut character is dropped')
})
