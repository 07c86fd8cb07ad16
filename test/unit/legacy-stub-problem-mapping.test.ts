// Errors nobody planned for still leave as ProblemDetails with a STUB_ERR_* code and no internals.
import t from 'tap'
import { toStubError } from '../../legacy-stub/src/problem-reply.js'
import { problemDetails } from '../../legacy-stub/src/problem-details.js'
import { buildLegacyStub } from '../../legacy-stub/src/app.js'

t.test('unexpected errors map to STUB_ERR_* without leaking', async t => {
  t.match(toStubError(new Error('boom')), { code: 'STUB_ERR_INTERNAL', statusCode: 500, message: 'An error occurred while processing your request.' })
  t.match(toStubError(Object.assign(new Error('bad header'), { statusCode: 431 })), { code: 'STUB_ERR_BAD_REQUEST', statusCode: 400 })
  t.match(toStubError(Object.assign(new SyntaxError('x'), { statusCode: 400 })), { errors: { $: ['The JSON value could not be parsed.'] } })
  t.same(problemDetails({ status: 418, code: 'X', traceId: 't' }), {
    type: 'https://tools.ietf.org/html/rfc9110#section-15.6.1',
    title: 'An error occurred while processing your request.',
    status: 418,
    code: 'X',
    traceId: 't'
  })
})

t.test('an unexpected error in a route answers a 500 ProblemDetails', async t => {
  const app = buildLegacyStub({ latencyMs: 0, seed: { Users: [], Projects: [], Budgets: [] } })
  t.teardown(() => app.close())
  app.get('/__boom', { config: { control: true } }, async () => { throw new Error('secret detail') })
  const res = await app.inject('/__boom')
  t.equal(res.statusCode, 500)
  t.notMatch(res.body, /secret/)
  t.equal(res.json().code, 'STUB_ERR_INTERNAL')
  t.same((await app.inject('/api/Users')).json(), [], 'seed given as data')
})
