// forward-billing's pure parts: the camelCase ↔ PascalCase mapping, legacy field errors,
// the idempotency key, and reading the environment.
import { createHash } from 'node:crypto'
import t from 'tap'
import { readConfig } from '../../lambdas/forward-billing/config.js'
import { idempotencyKeyFor } from '../../lambdas/forward-billing/idempotency-key.js'
import { fromLegacyBilling, fromLegacyErrors, toLegacyBilling } from '../../lambdas/forward-billing/map-billing.js'

t.test('toLegacyBilling writes the legacy body, UserId only when given', async t => {
  const base = { projectId: 3, amount: 10.5, currency: 'EUR', description: 'd', billedOn: '2026-11-01' }
  t.strictSame(toLegacyBilling(base), { ProjectId: 3, Amount: 10.5, Currency: 'EUR', Description: 'd', BilledOn: '2026-11-01' })
  t.strictSame(toLegacyBilling({ ...base, userId: 7 }), { ProjectId: 3, Amount: 10.5, Currency: 'EUR', Description: 'd', BilledOn: '2026-11-01', UserId: 7 })
})

t.test('fromLegacyBilling maps a billing and refuses anything else', async t => {
  const legacy = { Id: 4, ProjectId: 3, Amount: 10.5, Currency: 'EUR', Description: 'd', BilledOn: '2026-11-01', UserId: null, IdempotencyKey: 'k', CreatedAt: '2026-11-28T07:00:00.000Z' }
  t.strictSame(fromLegacyBilling(legacy), {
    id: 4, projectId: 3, amount: 10.5, currency: 'EUR', description: 'd', billedOn: '2026-11-01', userId: null, idempotencyKey: 'k', createdAt: '2026-11-28T07:00:00.000Z'
  })
  t.equal(fromLegacyBilling({ ...legacy, UserId: 2, IdempotencyKey: null })?.userId, 2)
  t.equal(fromLegacyBilling({ ...legacy, Id: '4' }), undefined)
  t.equal(fromLegacyBilling([legacy]), undefined)
  t.equal(fromLegacyBilling(null), undefined)
})

t.test('fromLegacyErrors turns ASP.NET errors into camelCase paths, one per message', async t => {
  t.strictSame(fromLegacyErrors({ errors: { ProjectId: ['a', 'b'], '': ['empty'], $: 'root', 'Idempotency-Key': ['bad key'], '$.BilledOn': ['x'] } }), [
    { path: '/body/projectId', message: 'a' },
    { path: '/body/projectId', message: 'b' },
    { path: '/body', message: 'empty' },
    { path: '/body', message: 'root' },
    { path: '/headers/idempotency-key', message: 'bad key' },
    { path: '/body/billedOn', message: 'x' }
  ])
  t.equal(fromLegacyErrors({ title: 'x' }), undefined)
  t.equal(fromLegacyErrors('text'), undefined)
})

t.test('the idempotency key is the client\'s, else derived from request id and body deterministically', async t => {
  t.equal(idempotencyKeyFor('client-1', 'req', '{}'), 'client-1')
  const expected = `fb-${createHash('sha256').update('req-1\n{"A":1}').digest('hex').slice(0, 40)}`
  t.equal(idempotencyKeyFor(undefined, 'req-1', '{"A":1}'), expected)
  t.equal(idempotencyKeyFor(undefined, 'req-1', '{"A":1}'), idempotencyKeyFor(undefined, 'req-1', '{"A":1}'))
  t.not(idempotencyKeyFor(undefined, 'req-2', '{"A":1}'), expected, 'another request')
  t.not(idempotencyKeyFor(undefined, 'req-1', '{"A":2}'), expected, 'another billing under a reused request id')
  t.match(idempotencyKeyFor(undefined, 'ünïcode request id with spaces', '{}'), /^[\x21-\x7e]{1,255}$/)
})

t.test('readConfig: defaults, normalisation and clear errors', async t => {
  t.strictSame(readConfig({}), { gatewayBaseUrl: 'http://127.0.0.1:8080', upstreamTimeoutMs: 3000, maxBodyBytes: 16384 })
  t.strictSame(readConfig({ GATEWAY_BASE_URL: 'https://gw.example.com/', UPSTREAM_TIMEOUT_MS: '1500', MAX_BODY_BYTES: '1024' }),
    { gatewayBaseUrl: 'https://gw.example.com', upstreamTimeoutMs: 1500, maxBodyBytes: 1024 })
  t.throws(() => readConfig({ GATEWAY_BASE_URL: 'not a url' }), { name: 'EnvError', message: 'environment variable GATEWAY_BASE_URL must be an absolute URL, got "not a url"' })
  t.throws(() => readConfig({ GATEWAY_BASE_URL: 'ftp://x' }), { message: 'environment variable GATEWAY_BASE_URL must be an http(s) URL, got "ftp://x"' })
  t.throws(() => readConfig({ UPSTREAM_TIMEOUT_MS: '3s' }), { message: 'environment variable UPSTREAM_TIMEOUT_MS must be a whole number, got "3s"' })
  t.throws(() => readConfig({ UPSTREAM_TIMEOUT_MS: '0' }), { message: 'environment variable UPSTREAM_TIMEOUT_MS must be between 1 and 60000, got 0' })
})
