// Users-${Stage} as the gateway calls it: list, get, 404, every validation error, 405.
import t from 'tap'
import { handler } from '../../lambdas/users/handler.js'
import {
  jsonOf, loadEvent, problemBody, validationBody, withBody, withMethod, withPathParameters
} from '../helpers/lambda-events.js'

const RID = 'req-fixture-1'

t.test('GET /api/users lists every seeded user in camelCase, ordered by id', async t => {
  const res = await handler(loadEvent('users-list'))
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  const users = jsonOf(res) as Array<{ id: number }>
  t.equal(users.length, 30)
  t.same(users.map(u => u.id), Array.from({ length: 30 }, (_, i) => i + 1))
})

t.test('GET /api/users/3 answers the user with fullName', async t => {
  const res = await handler(loadEvent('users-get'))
  t.equal(res.statusCode, 200)
  t.strictSame(jsonOf(res), {
    id: 3,
    userName: 'cweber',
    firstName: 'Clara',
    lastName: 'Weber',
    fullName: 'Clara Weber',
    email: 'clara.weber@example.com',
    department: 'HR',
    isActive: true,
    hiredOn: '2012-11-07T00:00:00.000Z'
  })
})

t.test('an unknown id is 404 problem+json', async t => {
  const res = await handler(withPathParameters(loadEvent('users-get'), { id: '999' }))
  t.equal(res.statusCode, 404)
  t.equal(res.headers['content-type'], 'application/problem+json')
  t.strictSame(jsonOf(res), problemBody('FN_ERR_NOT_FOUND', 'user 999 does not exist', { requestId: RID }))
})

const badIds: Array<[string, string]> = [
  ['abc', "Expected string to match '^[1-9][0-9]{0,9}$'"],
  ['0', "Expected string to match '^[1-9][0-9]{0,9}$'"],
  ['-1', "Expected string to match '^[1-9][0-9]{0,9}$'"],
  ['007', "Expected string to match '^[1-9][0-9]{0,9}$'"],
  ['1.5', "Expected string to match '^[1-9][0-9]{0,9}$'"],
  ['12345678901', "Expected string to match '^[1-9][0-9]{0,9}$'"],
  ['2147483648', 'Expected id less or equal to 2147483647']
]
for (const [id, message] of badIds) {
  t.test(`id ${JSON.stringify(id)} is 400 with the field path`, async t => {
    const res = await handler(withPathParameters(loadEvent('users-get'), { id }))
    t.equal(res.statusCode, 400)
    t.strictSame(jsonOf(res), validationBody(RID, [{ path: '/pathParameters/id', message }]))
  })
}

t.test('query parameters, extra path parameters and a body on GET are refused', async t => {
  const list = { ...loadEvent('users-list'), queryStringParameters: { page: '2' } }
  t.strictSame(jsonOf(await handler(list)), validationBody(RID, [{ path: '/queryStringParameters/page', message: 'Unexpected property' }]))

  const extra = withPathParameters(loadEvent('users-get'), { id: '3', other: 'x' })
  t.strictSame(jsonOf(await handler(extra)), validationBody(RID, [{ path: '/pathParameters/other', message: 'Unexpected property' }]))

  const withPayload = withBody(loadEvent('users-get'), { id: 3 })
  t.strictSame(jsonOf(await handler(withPayload)), validationBody(RID, [{ path: '/body', message: 'Unexpected body' }]))
})

t.test('any other method is 405 with Allow', async t => {
  for (const fixture of ['users-list', 'users-get']) {
    const res = await handler(withMethod(loadEvent(fixture), 'DELETE'))
    t.equal(res.statusCode, 405)
    t.equal(res.headers.allow, 'GET')
    t.strictSame(jsonOf(res), problemBody('FN_ERR_METHOD_NOT_ALLOWED', 'DELETE is not allowed here; allowed: GET', { requestId: RID }))
  }
})

t.test('something that is not a payload 2.0 event is 400 FN_ERR_INVALID_EVENT, never a stack', async t => {
  const res = await handler({ version: '1.0', rawPath: 5 })
  t.equal(res.statusCode, 400)
  t.strictSame(jsonOf(res), problemBody('FN_ERR_INVALID_EVENT', 'the event is not an API Gateway HTTP API payload 2.0 event', {
    errors: [
      { path: '/requestContext', message: 'Expected required property' },
      { path: '/version', message: "Expected '2.0'" },
      { path: '/rawPath', message: 'Expected string' }
    ]
  }))
  t.equal((await handler(null)).statusCode, 400)
  t.equal((await handler('GET /api/users')).statusCode, 400)
})
