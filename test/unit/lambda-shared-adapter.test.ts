// The shared adapter's last line of defence and its env helpers: an unexpected throw is a 500
// problem with the request id and no stack (the stack goes to the log); env errors name the variable.
import t from 'tap'
import { NoParams, NoQuery } from '../../lambdas/shared/schemas.js'
import { createHttpHandler, defineRoute } from '../../lambdas/shared/http-adapter.js'
import { EnvError, envInt, envOneOf, envString } from '../../lambdas/shared/env.js'
import { initFunction } from '../../lambdas/shared/init-log.js'
import { jsonOf, loadEvent, problemBody } from '../helpers/lambda-events.js'

t.test('an unexpected error is 500 FN_ERR_INTERNAL without a stack; the log has it', async t => {
  const handler = createHttpHandler({
    param: 'id',
    routes: [defineRoute({
      method: 'GET',
      withParam: false,
      pathParameters: NoParams,
      queryStringParameters: NoQuery,
      run: () => { throw new Error('database exploded at /srv/secret/path.ts:12') }
    })]
  })
  const logged: string[] = []
  const original = console.error
  console.error = (line: string) => { logged.push(line) }
  t.teardown(() => { console.error = original })
  const res = await handler(loadEvent('users-list'))
  console.error = original
  t.equal(res.statusCode, 500)
  t.strictSame(jsonOf(res), problemBody('FN_ERR_INTERNAL', 'an unexpected error occurred; the request id is in the function log', { requestId: 'req-fixture-1' }))
  t.notMatch(res.body, /secret|exploded|at /)
  t.equal(logged.length, 1)
  t.match(JSON.parse(logged[0] ?? '{}'), { level: 'error', code: 'FN_ERR_INTERNAL', requestId: 'req-fixture-1', message: 'database exploded at /srv/secret/path.ts:12', stack: /Error: database exploded/ })
})

t.test('env helpers: defaults, required values, ranges and allowed values', async t => {
  t.equal(envString({}, 'A', 'dflt'), 'dflt')
  t.equal(envString({ A: '  v ' }, 'A'), 'v')
  t.throws(() => envString({ A: ' ' }, 'A'), new EnvError('A', 'is required but not set'))
  t.equal(envInt({ N: '7' }, 'N', { fallback: 1, min: 1, max: 9 }), 7)
  t.throws(() => envInt({ N: '10' }, 'N', { fallback: 1, min: 1, max: 9 }), { message: 'environment variable N must be between 1 and 9, got 10' })
  t.equal(envOneOf({}, 'STAGE', ['DEV', 'PROD'], 'DEV'), 'DEV')
  t.throws(() => envOneOf({ STAGE: 'dev' }, 'STAGE', ['DEV', 'PROD'], 'DEV'), { message: 'environment variable STAGE must be one of DEV, PROD, got "dev"' })
})

t.test('initFunction reads STAGE and logs one init line', async t => {
  const logged: string[] = []
  const original = console.log
  console.log = (line: string) => { logged.push(line) }
  t.teardown(() => { console.log = original })
  const stage = initFunction('users', { STAGE: 'PROD' })
  console.log = original
  t.equal(stage, 'PROD')
  t.strictSame(logged.map(l => JSON.parse(l)), [{ level: 'info', msg: 'init', function: 'users', stage: 'PROD' }])
})
