// POST /api/Projects: 201 + Location, the write is visible through reads and /__stats, and bad
// bodies get ASP.NET ValidationProblemDetails with every field error.
import t from 'tap'
import { callJson, startTestLegacyStub } from '../helpers/legacy-stub.js'

const validation = (errors: Record<string, string[]>, traceId: string) => ({
  type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
  title: 'One or more validation errors occurred.',
  status: 400,
  code: 'STUB_ERR_VALIDATION',
  traceId,
  errors
})

t.test('creates a project with its budget, visible through GET and /__stats', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 0, now: () => new Date('2026-11-28T10:00:00Z') })
  // Property names bind case-insensitively; the answer is PascalCase.
  const res = await callJson(`${stub.url}/api/Projects`, {
    body: { name: 'Billing Run', Code: 'PRJ-2001', ownerId: 3, Status: 'active', MemberIds: [1, 2, 2], BudgetTotal: 5000.5 }
  })
  t.equal(res.status, 201)
  t.equal(res.headers.get('location'), '/api/Projects/13')
  const expected = { Id: 13, Name: 'Billing Run', Code: 'PRJ-2001', OwnerId: 3, Status: 'Active', StartDate: '2026-11-28', MemberIds: [1, 2] }
  t.same(res.body, expected)
  t.same((await callJson(`${stub.url}/api/Projects/13`)).body, expected)
  t.equal((await callJson(`${stub.url}/api/Projects`)).body.length, 13)
  t.same((await callJson(`${stub.url}/api/Budgets/13`)).body,
    { ProjectId: 13, Currency: 'EUR', Total: 5000.5, Spent: 0, FiscalYear: 2026 })
  t.equal((await stub.stats()).projectsCreated, 1)

  const second = await callJson(`${stub.url}/api/projects`, { body: { Name: 'Second', Code: 'PRJ-2002', OwnerId: 1, StartDate: '2025-02-01', Currency: 'CHF' } })
  t.equal(second.body.Id, 14)
  t.equal(second.body.Status, 'Planned', 'default status')
  t.same((await callJson(`${stub.url}/api/Budgets/14`)).body, { ProjectId: 14, Currency: 'CHF', Total: 0, Spent: 0, FiscalYear: 2025 })
})

t.test('every field error at once, with ASP.NET messages', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 0 })
  const res = await callJson(`${stub.url}/api/Projects`, {
    body: { Name: 'ab', Code: 'X-1', OwnerId: '3', Status: 'Done', StartDate: '2026-02-30', MemberIds: [1, 'two'], BudgetTotal: -1, Currency: 'eur' }
  })
  t.equal(res.status, 400)
  t.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8')
  t.same(res.body, validation({
    Name: ['The field Name must be a string with a minimum length of 3 and a maximum length of 200.'],
    Code: ["The field Code must match the regular expression '^PRJ-\\d{4}$'."],
    OwnerId: ['The JSON value could not be converted to System.Int32.'],
    Status: ['The field Status must be one of: Planned, Active, OnHold, Closed.'],
    StartDate: ['The JSON value could not be converted to System.DateOnly.'],
    MemberIds: ['The JSON value could not be converted to System.Int32[].'],
    BudgetTotal: ['The field BudgetTotal must be between 0 and 100000000.'],
    Currency: ["The field Currency must match the regular expression '^[A-Z]{3}$'."]
  }, res.body.traceId))

  const missing = await callJson(`${stub.url}/api/Projects`, { body: { Name: '', Code: null } })
  t.same(missing.body, validation({
    Name: ['The Name field is required.'],
    Code: ['The Code field is required.'],
    OwnerId: ['The OwnerId field is required.']
  }, missing.body.traceId))

  const unknownUsers = await callJson(`${stub.url}/api/Projects`, { body: { Name: 'Ghosts', Code: 'PRJ-3000', OwnerId: 500, MemberIds: [1, 600] } })
  t.same(unknownUsers.body, validation({
    OwnerId: ['User 500 does not exist.'],
    MemberIds: ['User 600 does not exist.']
  }, unknownUsers.body.traceId))
  t.equal((await stub.stats()).projectsCreated, 0, 'nothing stored')
})

t.test('a taken Code is a 409', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 0 })
  const res = await callJson(`${stub.url}/api/Projects`, { body: { Name: 'Dup', Code: 'PRJ-1001', OwnerId: 1 } })
  t.same(res.body, {
    type: 'https://tools.ietf.org/html/rfc9110#section-15.5.10',
    title: 'Conflict',
    status: 409,
    detail: 'A project with Code PRJ-1001 already exists.',
    code: 'STUB_ERR_PROJECT_CODE_TAKEN',
    traceId: res.body.traceId
  })
})

t.test('bodies that are not a JSON object', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 0 })
  const url = `${stub.url}/api/Projects`
  const broken = await callJson(url, { body: '{"Name":' })
  t.same(broken.body.errors, { $: ['The JSON value could not be parsed.'] })
  const array = await callJson(url, { body: [] })
  t.same(array.body.errors, { $: ['The JSON value could not be converted to CreateProjectRequest.'] })
  const empty = await callJson(url, { method: 'POST', headers: { 'content-type': 'application/json' } })
  t.same(empty.body.errors, { '': ['A non-empty request body is required.'] })
  const none = await callJson(url, { method: 'POST' })
  t.same(none.body.errors, { '': ['A non-empty request body is required.'] })
  const text = await callJson(url, { body: 'hello', headers: { 'content-type': 'text/plain' } })
  t.same(text.body, {
    type: 'https://tools.ietf.org/html/rfc9110#section-15.5.16',
    title: 'Unsupported Media Type',
    status: 415,
    detail: 'Content-Type text/plain is not supported; send application/json.',
    code: 'STUB_ERR_UNSUPPORTED_MEDIA_TYPE',
    traceId: text.body.traceId
  })
  const big = await callJson(url, { body: { Name: 'x'.repeat(1_100_000) } })
  t.equal(big.status, 413)
  t.equal(big.body.code, 'STUB_ERR_PAYLOAD_TOO_LARGE')
})
