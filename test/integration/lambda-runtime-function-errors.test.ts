// Function failures as Lambda reports them: 200 with X-Amz-Function-Error: Unhandled and the
// error document — thrown errors, the function's Timeout, a dying environment, a missing module.
import t from 'tap'
import { InvokeCommand } from '@aws-sdk/client-lambda'
import { decodeLog, json, lambdaClient, parsePayload, startTestLambdaRuntime } from '../helpers/lambda-runtime.js'

t.test('a thrown error', async t => {
  const runtime = await startTestLambdaRuntime(t)
  const res = await lambdaClient(runtime.url).send(new InvokeCommand({ FunctionName: 'Throw-TEST', Payload: json({}) }))
  t.equal(res.StatusCode, 200)
  t.equal(res.FunctionError, 'Unhandled')
  const body = parsePayload(res.Payload) as { errorType: string, errorMessage: string, trace: string[] }
  t.equal(body.errorType, 'TypeError')
  t.equal(body.errorMessage, 'boom')
  t.match(body.trace[0], /^TypeError: boom/)
  t.ok(body.trace.length > 1, 'a stack trace')
})

t.test('the Timeout stops the handler; the environment is not reused', async t => {
  const runtime = await startTestLambdaRuntime(t)
  const client = lambdaClient(runtime.url)
  const started = Date.now()
  const res = await client.send(new InvokeCommand({ FunctionName: 'Slow-TEST', Payload: json({ ms: 5000 }), LogType: 'Tail' }))
  const took = Date.now() - started
  t.equal(res.StatusCode, 200)
  t.equal(res.FunctionError, 'Unhandled')
  const body = parsePayload(res.Payload) as { errorType: string, errorMessage: string }
  t.equal(body.errorType, 'Sandbox.Timedout')
  t.match(body.errorMessage, /^[0-9a-f-]{36} Task timed out after 1\.00 seconds$/)
  t.ok(took >= 950 && took < 4000, `answered at the 1 s timeout (${took} ms)`)
  t.match(decodeLog(res.LogResult), /Task timed out after 1\.00 seconds/)
  t.equal(runtime.functions().find(f => f.name === 'Slow-TEST')?.environments, 0, 'the timed-out environment is gone')
  const next = await client.send(new InvokeCommand({ FunctionName: 'Slow-TEST', Payload: json({ ms: 1 }), LogType: 'Tail' }))
  t.equal(next.FunctionError, undefined)
  t.match(decodeLog(next.LogResult), /Init Duration/, 'the next invocation is cold')
})

t.test('an environment that exits is reported and discarded; the runtime keeps serving', async t => {
  const runtime = await startTestLambdaRuntime(t)
  const client = lambdaClient(runtime.url)
  const res = await client.send(new InvokeCommand({ FunctionName: 'Exit-TEST', Payload: json({}) }))
  t.equal(res.FunctionError, 'Unhandled')
  const body = parsePayload(res.Payload) as { errorType: string, errorMessage: string }
  t.equal(body.errorType, 'Runtime.ExitError')
  t.match(body.errorMessage, /Runtime exited with error: exit status 3$/)
  const ok = await client.send(new InvokeCommand({ FunctionName: 'Echo-TEST', Payload: json({}) }))
  t.equal(ok.StatusCode, 200)
  t.equal(ok.FunctionError, undefined)
})

t.test('a function whose module cannot be loaded', async t => {
  const runtime = await startTestLambdaRuntime(t)
  const res = await lambdaClient(runtime.url).send(new InvokeCommand({ FunctionName: 'Missing-TEST', Payload: json({}) }))
  t.equal(res.FunctionError, 'Unhandled')
  t.match(parsePayload(res.Payload), { errorType: 'Runtime.ImportModuleError', errorMessage: "Cannot find module 'index'" })
})

t.test('a handler the module does not export', async t => {
  const runtime = await startTestLambdaRuntime(t)
  const client = lambdaClient(runtime.url)
  const res = await client.send(new InvokeCommand({ FunctionName: 'NoHandler-TEST', Payload: json({}) }))
  t.equal(res.FunctionError, 'Unhandled')
  t.match(parsePayload(res.Payload), { errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.nope is undefined or not exported' })
  const again = await client.send(new InvokeCommand({ FunctionName: 'NoHandler-TEST', Payload: json({}) }))
  t.match(parsePayload(again.Payload), { errorType: 'Runtime.HandlerNotFound' }, 'the same answer from the warm environment')
})
