// Budget-${Stage} as the gateway calls it: GET /api/budgets/{projectId}, 404, validation, 405.
import t from 'tap'
import { handler } from '../../lambdas/budget/handler.js'
import { jsonOf, loadEvent, problemBody, validationBody, withMethod, withPathParameters } from '../helpers/lambda-events.js'

const RID = 'req-fixture-1'

t.test('GET /api/budgets/12 answers the budget with remaining = total - spent', async t => {
  const res = await handler(loadEvent('budget-get'))
  t.equal(res.statusCode, 200)
  t.strictSame(jsonOf(res), { projectId: 12, currency: 'EUR', total: 375000, spent: 198750, remaining: 176250, fiscalYear: 2026 })
})

t.test('a project without a budget is 404', async t => {
  const res = await handler(withPathParameters(loadEvent('budget-get'), { projectId: '4242' }))
  t.equal(res.statusCode, 404)
  t.strictSame(jsonOf(res), problemBody('FN_ERR_NOT_FOUND', 'no budget for project 4242', { requestId: RID }))
})

t.test('every validation error names its field', async t => {
  const cases: Array<[Record<string, string>, Array<{ path: string, message: string }>]> = [
    [{ projectId: 'twelve' }, [{ path: '/pathParameters/projectId', message: "Expected string to match '^[1-9][0-9]{0,9}$'" }]],
    [{ projectId: '9999999999' }, [{ path: '/pathParameters/projectId', message: 'Expected id less or equal to 2147483647' }]],
    [{ projectId: '12', id: '1' }, [{ path: '/pathParameters/id', message: 'Unexpected property' }]]
  ]
  for (const [params, errors] of cases) {
    const res = await handler(withPathParameters(loadEvent('budget-get'), params))
    t.equal(res.statusCode, 400)
    t.strictSame(jsonOf(res), validationBody(RID, errors))
  }
  const query = { ...loadEvent('budget-get'), queryStringParameters: { year: '2026' } }
  t.strictSame(jsonOf(await handler(query)), validationBody(RID, [{ path: '/queryStringParameters/year', message: 'Unexpected property' }]))
})

t.test('writes and the collection are 405 (the collection allows nothing)', async t => {
  const put = await handler(withMethod(loadEvent('budget-get'), 'PUT'))
  t.equal(put.statusCode, 405)
  t.equal(put.headers.allow, 'GET')
  t.strictSame(jsonOf(put), problemBody('FN_ERR_METHOD_NOT_ALLOWED', 'PUT is not allowed here; allowed: GET', { requestId: RID }))

  const collection = await handler(withPathParameters(loadEvent('budget-get'), undefined))
  t.equal(collection.statusCode, 405)
  t.equal(collection.headers.allow, '')
  t.strictSame(jsonOf(collection), problemBody('FN_ERR_METHOD_NOT_ALLOWED', 'GET is not allowed here; allowed: none', { requestId: RID }))
})
