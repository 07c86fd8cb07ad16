// POST /api/Billings stores each billing once: a repeated Idempotency-Key replays the original
// (same Id, 201, Idempotent-Replayed: true), the same key with another body is a 422, and
// concurrent requests with one key store exactly one billing. Budgets' Spent follows billings.
import t from 'tap'
import { callJson, startTestLegacyStub } from '../helpers/legacy-stub.js'

const billing = { ProjectId: 2, Amount: 1250.75, Currency: 'EUR', Description: 'November timesheets', BilledOn: '2026-11-27' }

t.test('the same key twice stores one billing and replays the first answer', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 0, now: () => new Date('2026-11-28T08:00:00.000Z') })
  const headers = { 'idempotency-key': 'run-2026-11/project-2' }
  const first = await callJson(`${stub.url}/api/Billings`, { body: billing, headers })
  t.equal(first.status, 201)
  t.equal(first.headers.get('location'), '/api/Billings/1')
  t.equal(first.headers.get('idempotent-replayed'), null)
  const stored = { Id: 1, ...billing, UserId: null, IdempotencyKey: 'run-2026-11/project-2', CreatedAt: '2026-11-28T08:00:00.000Z' }
  t.same(first.body, stored)

  // camelCase names bind too and make the same request: still a replay.
  const camel = { projectId: 2, amount: 1250.75, currency: 'EUR', description: 'November timesheets', billedOn: '2026-11-27' }
  const again = await callJson(`${stub.url}/api/Billings`, { body: camel, headers })
  t.equal(again.status, 201)
  t.equal(again.headers.get('idempotent-replayed'), 'true')
  t.equal(again.headers.get('location'), '/api/Billings/1')
  t.same(again.body, stored)

  t.same((await callJson(`${stub.url}/api/Billings`)).body, [stored])
  t.same((await callJson(`${stub.url}/api/Billings/1`)).body, stored)
  t.equal((await callJson(`${stub.url}/api/Budgets/2`)).body.Spent, 16250 + 1250.75, 'Spent counted once')
  const stats = await stub.stats()
  t.equal(stats.billings, 1)
  t.equal(stats.idempotentReplays, 1)
})

t.test('the same key with a different body is a 422 and stores nothing', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 0 })
  const headers = { 'idempotency-key': 'k-422' }
  t.equal((await callJson(`${stub.url}/api/Billings`, { body: billing, headers })).status, 201)
  const res = await callJson(`${stub.url}/api/Billings`, { body: { ...billing, Amount: 99 }, headers })
  t.same(res.body, {
    type: 'https://tools.ietf.org/html/rfc9110#section-15.5.21',
    title: 'Unprocessable Entity',
    status: 422,
    detail: 'Idempotency-Key k-422 was already used with a different request body.',
    code: 'STUB_ERR_IDEMPOTENCY_KEY_REUSED',
    traceId: res.body.traceId
  })
  t.equal((await stub.stats()).billings, 1)
})

t.test('concurrent requests with one key store exactly one billing', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 5, maxConcurrency: 4 })
  const answers = await Promise.all(Array.from({ length: 20 }, () =>
    callJson(`${stub.url}/api/Billings`, { body: billing, headers: { 'idempotency-key': 'burst-1' } })))
  t.same(new Set(answers.map(a => a.status)), new Set([201]))
  t.same(new Set(answers.map(a => a.body.Id)), new Set([1]), 'one id for all')
  t.equal(answers.filter(a => a.headers.get('idempotent-replayed') === 'true').length, 19)
  const stats = await stub.stats()
  t.equal(stats.billings, 1)
  t.equal(stats.idempotentReplays, 19)
  t.equal((await callJson(`${stub.url}/api/Billings?projectId=2`)).body.length, 1)
})

t.test('without a key every POST is a new billing (the legacy hazard)', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 0 })
  await callJson(`${stub.url}/api/Billings`, { body: billing })
  const second = await callJson(`${stub.url}/api/Billings`, { body: { ...billing, ProjectId: 3, UserId: 4 } })
  t.equal(second.body.Id, 2)
  t.equal(second.body.IdempotencyKey, null)
  t.equal(second.body.UserId, 4)
  t.equal((await callJson(`${stub.url}/api/Billings?projectid=2`)).body.length, 1)
  t.equal((await callJson(`${stub.url}/api/Billings`)).body.length, 2)
  t.equal((await callJson(`${stub.url}/api/Billings/3`)).status, 404)
})

t.test('validation: field errors in full, bad keys, domain checks; nothing stored', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 0 })
  const url = `${stub.url}/api/Billings`
  const problem = (errors: Record<string, string[]>, traceId: string) => ({
    type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
    title: 'One or more validation errors occurred.',
    status: 400,
    code: 'STUB_ERR_VALIDATION',
    traceId,
    errors
  })
  const bad = await callJson(url, {
    body: { ProjectId: 1.5, Amount: 10.001, Currency: 'EURO', Description: 'd'.repeat(501), BilledOn: '27.11.2026', UserId: 0 }
  })
  t.same(bad.body, problem({
    ProjectId: ['The JSON value could not be converted to System.Int32.'],
    Amount: ['The field Amount must have at most 2 decimal places.'],
    Currency: ['The field Currency must be a string with a maximum length of 3.'],
    Description: ['The field Description must be a string with a maximum length of 500.'],
    BilledOn: ['The JSON value could not be converted to System.DateOnly.'],
    UserId: ['The field UserId must be between 1 and 2147483647.']
  }, bad.body.traceId))

  const types = await callJson(url, { body: { ProjectId: 1, Amount: '10', Currency: 1, Description: ['x'], BilledOn: 20261127 } })
  t.same(types.body.errors, {
    Amount: ['The JSON value could not be converted to System.Decimal.'],
    Currency: ['The JSON value could not be converted to System.String.'],
    Description: ['The JSON value could not be converted to System.String.'],
    BilledOn: ['The JSON value could not be converted to System.DateOnly.']
  })
  const range = await callJson(url, { body: { ...billing, Amount: 0 } })
  t.same(range.body.errors, { Amount: ['The field Amount must be between 0.01 and 1000000.'] })

  const domain = await callJson(url, { body: { ...billing, ProjectId: 404, UserId: 999 } })
  t.same(domain.body, problem({ ProjectId: ['Project 404 does not exist.'], UserId: ['User 999 does not exist.'] }, domain.body.traceId))
  const currency = await callJson(url, { body: { ...billing, Currency: 'USD' } })
  t.same(currency.body.errors, { Currency: ["Currency must match the project's budget currency (EUR)."] })

  for (const key of ['', 'x'.repeat(256), 'with space']) {
    const res = await callJson(url, { body: billing, headers: { 'idempotency-key': key } })
    t.same(res.body.errors, { 'Idempotency-Key': ['The Idempotency-Key header must be 1 to 255 visible ASCII characters.'] }, `key ${JSON.stringify(key.slice(0, 12))}`)
  }
  // A key whose first attempt failed validation is still free (Stripe keeps no record of those).
  const failed = await callJson(url, { body: { ...billing, Currency: 'USD' }, headers: { 'idempotency-key': 'retry-me' } })
  t.equal(failed.status, 400)
  const retried = await callJson(url, { body: billing, headers: { 'idempotency-key': 'retry-me' } })
  t.equal(retried.status, 201)
  t.equal(retried.headers.get('idempotent-replayed'), null)
  t.equal((await stub.stats()).billings, 1)
})
