// Every function of lambdas/template.yaml answers through the runtime and the real SDK, from its
// bundle in lambdas/dist (npm's pretest builds them).
import t from 'tap'
import { InvokeCommand } from '@aws-sdk/client-lambda'
import { json, lambdaClient, parsePayload, REAL_TEMPLATE, startTestLambdaRuntime } from '../helpers/lambda-runtime.js'
import { loadEvent, withBody } from '../helpers/lambda-events.js'

t.test('Users, Projects and Budget answer their reads; ForwardBilling validates', async t => {
  const runtime = await startTestLambdaRuntime(t, { templatePath: REAL_TEMPLATE })
  t.same(runtime.functions().map(f => f.name).sort(), ['Budget-DEV', 'ForwardBilling-DEV', 'Projects-DEV', 'Users-DEV'])
  const client = lambdaClient(runtime.url)
  const cases: Array<[string, unknown, number]> = [
    ['Users-DEV', loadEvent('users-get'), 200],
    ['Users-DEV', loadEvent('users-list'), 200],
    ['Projects-DEV', loadEvent('projects-get'), 200],
    ['Projects-DEV', loadEvent('projects-list'), 200],
    ['Budget-DEV', loadEvent('budget-get'), 200],
    ['ForwardBilling-DEV', withBody(loadEvent('forward-billing-create'), {}), 400]
  ]
  for (const [fn, event, status] of cases) {
    const res = await client.send(new InvokeCommand({ FunctionName: fn, Payload: json(event) }))
    t.equal(res.FunctionError, undefined, `${fn}: no function error`)
    const out = parsePayload(res.Payload) as { statusCode: number }
    t.equal(out.statusCode, status, `${fn} → ${status}`)
  }
})
