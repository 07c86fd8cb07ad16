// GET endpoints of the legacy stub: seeded data, PascalCase JSON, case-insensitive routing,
// ProblemDetails 404s and 400s for ids that do not bind.
import t from 'tap'
import { callJson, startTestLegacyStub, TRACE_ID } from '../helpers/legacy-stub.js'
import { loadSeed } from '../../legacy-stub/src/seed.js'

const seed = loadSeed()

t.test('lists and gets users, projects and budgets from the seed', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 0 })
  const users = await callJson(`${stub.url}/api/Users`)
  t.equal(users.status, 200)
  t.match(users.headers.get('content-type'), /^application\/json/)
  t.same(users.body, seed.Users)
  t.ok(seed.Users.length >= 24, 'a few dozen users')

  t.same((await callJson(`${stub.url}/api/Users/3`)).body, seed.Users[2])
  t.same((await callJson(`${stub.url}/api/Projects`)).body, seed.Projects)
  t.same((await callJson(`${stub.url}/api/Projects/2`)).body, seed.Projects[1])
  t.same((await callJson(`${stub.url}/api/Budgets/5`)).body,
    { ProjectId: 5, Currency: 'EUR', Total: 200000, Spent: 104000, FiscalYear: 2026 })
})

t.test('routing ignores case and a trailing slash, like ASP.NET', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 0 })
  for (const path of ['/API/USERS/1', '/api/users/1', '/Api/Users/1/']) {
    const res = await callJson(stub.url + path)
    t.equal(res.status, 200, path)
    t.equal(res.body.UserName, 'aschmidt', path)
  }
  t.equal((await callJson(`${stub.url}/API/BUDGETS/1`)).body.ProjectId, 1)
  t.equal((await callJson(`${stub.url}/api/projects`)).body.length, seed.Projects.length)
})

t.test('unknown ids and unknown paths are 404 ProblemDetails', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 0 })
  const cases: Array<[string, string, string]> = [
    ['/api/Users/999', 'STUB_ERR_NOT_FOUND', 'User 999 was not found.'],
    ['/api/Projects/0', 'STUB_ERR_NOT_FOUND', 'Project 0 was not found.'],
    ['/api/Budgets/77', 'STUB_ERR_NOT_FOUND', 'Budget of project 77 was not found.'],
    ['/api/Nothing', 'STUB_ERR_ROUTE_NOT_FOUND', 'No route matches GET /api/Nothing.'],
    ['/api/Users/1/Projects?x=1', 'STUB_ERR_ROUTE_NOT_FOUND', 'No route matches GET /api/Users/1/Projects.']
  ]
  for (const [path, code, detail] of cases) {
    const res = await callJson(stub.url + path)
    t.equal(res.status, 404, path)
    t.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8', path)
    t.match(res.body.traceId, TRACE_ID)
    t.same(res.body, {
      type: 'https://tools.ietf.org/html/rfc9110#section-15.5.5',
      title: 'Not Found',
      status: 404,
      detail,
      code,
      traceId: res.body.traceId
    }, path)
  }
})

t.test('an id that is not an Int32 is a 400 naming the parameter', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 0 })
  const cases: Array<[string, string, string]> = [
    ['/api/Users/abc', 'id', 'abc'],
    ['/api/Projects/99999999999', 'id', '99999999999'],
    ['/api/Budgets/1.5', 'projectId', '1.5'],
    ['/api/Billings?ProjectID=x', 'projectId', 'x']
  ]
  for (const [path, field, raw] of cases) {
    const res = await callJson(stub.url + path)
    t.same(res.body, {
      type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
      title: 'One or more validation errors occurred.',
      status: 400,
      code: 'STUB_ERR_VALIDATION',
      traceId: res.body.traceId,
      errors: { [field]: [`The value '${raw}' is not valid.`] }
    }, path)
  }
})

t.test('an incoming traceparent keeps its trace id in ProblemDetails', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 0 })
  const trace = '0af7651916cd43dd8448eb211c80319c'
  const res = await callJson(`${stub.url}/api/Users/999`, { headers: { traceparent: `00-${trace}-b7ad6b7169203331-01` } })
  t.match(res.body.traceId, new RegExp(`^00-${trace}-[0-9a-f]{16}-00$`))
})
