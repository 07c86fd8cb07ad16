// An error thrown outside the handler's promise chain kills the environment (as it kills a Lambda
// runtime process) but never the runtime: during an invocation it is a Runtime.ExitError, while
// idle the environment just disappears and the next invocation is cold.
import t from 'tap'
import { InvokeCommand } from '@aws-sdk/client-lambda'
import { decodeLog, json, lambdaClient, parsePayload, startTestLambdaRuntime } from '../helpers/lambda-runtime.js'

t.test('uncaught error during an invocation → Runtime.ExitError; the runtime keeps serving', async t => {
  const runtime = await startTestLambdaRuntime(t)
  const client = lambdaClient(runtime.url)
  const res = await client.send(new InvokeCommand({ FunctionName: 'LateCrash-TEST', Payload: json({ lateMs: 10, holdMs: 1000 }) }))
  t.equal(res.StatusCode, 200)
  t.equal(res.FunctionError, 'Unhandled')
  t.match(parsePayload(res.Payload), { errorType: 'Runtime.ExitError', errorMessage: /Runtime exited with error: exit status 1$/ })
  t.equal(runtime.functions().find(f => f.name === 'LateCrash-TEST')?.environments, 0, 'the environment is discarded')
  const ok = await client.send(new InvokeCommand({ FunctionName: 'Echo-TEST', Payload: json({}) }))
  t.equal(ok.FunctionError, undefined)
})

t.test('uncaught error after the answer: the idle environment goes, the next call is cold', async t => {
  const runtime = await startTestLambdaRuntime(t)
  const client = lambdaClient(runtime.url)
  const first = await client.send(new InvokeCommand({ FunctionName: 'LateCrash-TEST', Payload: json({ lateMs: 30 }) }))
  t.same(parsePayload(first.Payload), { returned: true })
  const fn = (): number | undefined => runtime.functions().find(f => f.name === 'LateCrash-TEST')?.environments
  for (let i = 0; i < 100 && fn() !== 0; i++) await new Promise(resolve => setTimeout(resolve, 20))
  t.equal(fn(), 0, 'the crashed idle environment is gone')
  const next = await client.send(new InvokeCommand({ FunctionName: 'LateCrash-TEST', Payload: json({ lateMs: 5000 }), LogType: 'Tail' }))
  t.equal(next.FunctionError, undefined)
  t.match(decodeLog(next.LogResult), /Init Duration/, 'cold again')
})
