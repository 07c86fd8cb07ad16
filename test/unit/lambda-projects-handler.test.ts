// Projects-${Stage} as the gateway calls it: list, get, create (201 + Location), 404, 409, and
// every validation error of the create body, the body's encoding and size.
import t from 'tap'
import { handler } from '../../lambdas/projects/handler.js'
import {
  bodyOf, jsonOf, loadEvent, problemBody, validationBody, withBody, withMethod, withPathParameters
} from '../helpers/lambda-events.js'

const RID = 'req-fixture-1'
const valid = bodyOf(loadEvent('projects-create'))

t.test('GET /api/projects lists the seed; GET /api/projects/2 answers one project', async t => {
  const list = await handler(loadEvent('projects-list'))
  t.equal(list.statusCode, 200)
  t.ok((jsonOf(list) as unknown[]).length >= 12)
  const one = await handler(loadEvent('projects-get'))
  t.equal(one.statusCode, 200)
  t.match(jsonOf(one), { id: 2, code: 'PRJ-1002' })
  t.strictSame(Object.keys(jsonOf(one) as object), ['id', 'name', 'code', 'ownerId', 'status', 'startDate', 'memberIds'])
})

t.test('an unknown project is 404', async t => {
  const res = await handler(withPathParameters(loadEvent('projects-get'), { id: '777' }))
  t.strictSame([res.statusCode, jsonOf(res)], [404, problemBody('FN_ERR_NOT_FOUND', 'project 777 does not exist', { requestId: RID })])
})

t.test('POST creates (201, Location), is visible to GET in the same environment, and a second time is 409', async t => {
  const res = await handler(loadEvent('projects-create'))
  t.equal(res.statusCode, 201)
  const created = jsonOf(res) as { id: number }
  t.equal(res.headers.location, `/api/projects/${created.id}`)
  t.strictSame(created, { id: created.id, name: 'Data Warehouse', code: 'PRJ-2001', ownerId: 2, status: 'Active', startDate: '2026-02-01', memberIds: [3, 4] })
  const read = await handler(withPathParameters(loadEvent('projects-get'), { id: String(created.id) }))
  t.strictSame(jsonOf(read), created)

  const again = await handler(loadEvent('projects-create'))
  t.strictSame([again.statusCode, jsonOf(again)], [409, problemBody('FN_ERR_CONFLICT', 'a project with code PRJ-2001 already exists', { requestId: RID })])
})

t.test('a base64-encoded body is decoded', async t => {
  const res = await handler(loadEvent('projects-create-base64'))
  t.equal(res.statusCode, 201)
  t.match(jsonOf(res), { code: 'PRJ-2002' })
})

const fieldCases: Array<[string, Record<string, unknown>, Array<{ path: string, message: string }>]> = [
  ['missing required fields', { status: 'Active' }, [
    { path: '/body/name', message: 'Expected required property' },
    { path: '/body/code', message: 'Expected required property' },
    { path: '/body/ownerId', message: 'Expected required property' }
  ]],
  ['an unknown field', { ...valid, Name: 'x' }, [{ path: '/body/Name', message: 'Unexpected property' }]],
  ['a short name', { ...valid, name: 'ab' }, [{ path: '/body/name', message: 'Expected string length greater or equal to 3' }]],
  ['an oversized name', { ...valid, name: 'x'.repeat(201) }, [{ path: '/body/name', message: 'Expected string length less or equal to 200' }]],
  ['a name of the wrong type', { ...valid, name: 42 }, [{ path: '/body/name', message: 'Expected string' }]],
  ['a malformed code', { ...valid, code: 'P-1' }, [{ path: '/body/code', message: "Expected string to match '^PRJ-[0-9]{4}$'" }]],
  ['an oversized code', { ...valid, code: 'PRJ-12345' }, [{ path: '/body/code', message: 'Expected string length less or equal to 8' }]],
  ['a fractional ownerId', { ...valid, ownerId: 1.5 }, [{ path: '/body/ownerId', message: 'Expected integer' }]],
  ['a string ownerId', { ...valid, ownerId: '2' }, [{ path: '/body/ownerId', message: 'Expected integer' }]],
  ['ownerId 0', { ...valid, ownerId: 0 }, [{ path: '/body/ownerId', message: 'Expected integer to be greater or equal to 1' }]],
  ['an unknown status', { ...valid, status: 'Done' }, [{ path: '/body/status', message: "Expected string to match '^(Planned|Active|OnHold|Closed)$'" }]],
  ['a non-date startDate', { ...valid, startDate: '01.02.2026' }, [{ path: '/body/startDate', message: "Expected string to match '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'" }]],
  ['an impossible startDate', { ...valid, startDate: '2026-02-30' }, [{ path: '/body/startDate', message: 'Expected a calendar date from 1900-01-01 on' }]],
  ['memberIds not an array', { ...valid, memberIds: '3,4' }, [{ path: '/body/memberIds', message: 'Expected array' }]],
  ['a bad member id', { ...valid, memberIds: [3, -4] }, [{ path: '/body/memberIds/1', message: 'Expected integer to be greater or equal to 1' }]],
  ['too many members', { ...valid, memberIds: Array.from({ length: 51 }, (_, i) => i + 1) }, [{ path: '/body/memberIds', message: 'Expected array length to be less or equal to 50' }]],
  ['a negative budgetTotal', { ...valid, budgetTotal: -1 }, [{ path: '/body/budgetTotal', message: 'Expected number to be greater or equal to 0' }]],
  ['a budgetTotal with sub-cent digits', { ...valid, budgetTotal: 10.001 }, [{ path: '/body/budgetTotal', message: 'Expected at most 2 decimal places' }]],
  ['a lower-case currency', { ...valid, currency: 'eur' }, [{ path: '/body/currency', message: "Expected string to match '^[A-Z]{3}$'" }]],
  ['unknown owner and members', { ...valid, code: 'PRJ-2099', ownerId: 500, memberIds: [3, 600] }, [
    { path: '/body/ownerId', message: 'User 500 does not exist' },
    { path: '/body/memberIds', message: 'User 600 does not exist' }
  ]]
]
for (const [name, body, errors] of fieldCases) {
  t.test(`create with ${name} is 400 naming every field`, async t => {
    const res = await handler(withBody(loadEvent('projects-create'), body))
    t.equal(res.statusCode, 400)
    t.equal(res.headers['content-type'], 'application/problem+json')
    t.strictSame(jsonOf(res), validationBody(RID, errors))
  })
}

t.test('a body that is not an object is 400 at /body', async t => {
  for (const body of ['[]', '"text"', 'null', '42']) {
    const res = await handler(withBody(loadEvent('projects-create'), body))
    t.strictSame(jsonOf(res), validationBody(RID, [{ path: '/body', message: 'Expected object' }]), body)
  }
})

t.test('malformed JSON, no body, wrong media type and an oversized body', async t => {
  const malformed = await handler(loadEvent('projects-create-malformed-json'))
  t.strictSame([malformed.statusCode, jsonOf(malformed)], [400, problemBody('FN_ERR_MALFORMED_JSON', 'the body is not valid JSON', { requestId: RID })])

  const empty = await handler(withBody(loadEvent('projects-create'), ''))
  t.strictSame([empty.statusCode, jsonOf(empty)], [400, problemBody('FN_ERR_VALIDATION', 'the request has no body', {
    requestId: RID, errors: [{ path: '/body', message: 'Expected a JSON object' }]
  })])

  const form = loadEvent('projects-create')
  form.headers['content-type'] = 'application/x-www-form-urlencoded'
  const media = await handler(form)
  t.strictSame([media.statusCode, jsonOf(media)], [415, problemBody('FN_ERR_UNSUPPORTED_MEDIA_TYPE',
    'content-type must be application/json, got application/x-www-form-urlencoded', { requestId: RID })])

  const oversized = { ...valid, name: 'x'.repeat(20_000) }
  const big = await handler(withBody(loadEvent('projects-create'), oversized))
  const bytes = Buffer.byteLength(JSON.stringify(oversized))
  t.strictSame([big.statusCode, jsonOf(big)], [413, problemBody('FN_ERR_BODY_TOO_LARGE', `body is ${bytes} bytes, the limit is 16384`, { requestId: RID })])
})

t.test('query parameters are refused; PUT and DELETE are 405', async t => {
  const q = { ...loadEvent('projects-list'), queryStringParameters: { status: 'Active' } }
  t.strictSame(jsonOf(await handler(q)), validationBody(RID, [{ path: '/queryStringParameters/status', message: 'Unexpected property' }]))
  const put = await handler(withMethod(loadEvent('projects-get'), 'PUT'))
  t.strictSame([put.statusCode, put.headers.allow], [405, 'GET'])
  const del = await handler(withMethod(loadEvent('projects-list'), 'DELETE'))
  t.strictSame([del.statusCode, del.headers.allow], [405, 'GET, POST'])
  t.strictSame(jsonOf(del), problemBody('FN_ERR_METHOD_NOT_ALLOWED', 'DELETE is not allowed here; allowed: GET, POST', { requestId: RID }))
})
