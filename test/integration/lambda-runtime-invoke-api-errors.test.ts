// Invoke API answers the SDK must turn into the right exception classes, and the invocation types.
import t from 'tap'
import {
  InvalidRequestContentException, InvokeCommand, RequestTooLargeException, ResourceNotFoundException,
  TooManyRequestsException
} from '@aws-sdk/client-lambda'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { json, lambdaClient, startTestLambdaRuntime } from '../helpers/lambda-runtime.js'

t.test('unknown function and unknown qualifier → ResourceNotFoundException', async t => {
  const runtime = await startTestLambdaRuntime(t)
  const client = lambdaClient(runtime.url)
  const err = await client.send(new InvokeCommand({ FunctionName: 'Nope-TEST' })).catch((e: unknown) => e)
  t.ok(err instanceof ResourceNotFoundException)
  t.equal((err as Error).message, 'Function not found: arn:aws:lambda:eu-central-1:000000000000:function:Nope-TEST')
  const q = await client.send(new InvokeCommand({ FunctionName: 'Echo-TEST', Qualifier: 'prod' })).catch((e: unknown) => e)
  t.ok(q instanceof ResourceNotFoundException, 'only $LATEST exists locally')
  const latest = await client.send(new InvokeCommand({ FunctionName: 'Echo-TEST', Qualifier: '$LATEST', Payload: json({}) }))
  t.equal(latest.StatusCode, 200)
  const byArn = await client.send(new InvokeCommand({ FunctionName: 'arn:aws:lambda:eu-central-1:000000000000:function:Echo-TEST', Payload: json({}) }))
  t.equal(byArn.StatusCode, 200, 'a full ARN names the function too')
})

t.test('beyond reserved concurrency → TooManyRequestsException with its Reason', async t => {
  const runtime = await startTestLambdaRuntime(t)
  const client = lambdaClient(runtime.url)
  const results = await Promise.allSettled([1, 2, 3, 4].map(() =>
    client.send(new InvokeCommand({ FunctionName: 'Slow-TEST', Payload: json({ ms: 400 }) }))))
  const ok = results.filter(r => r.status === 'fulfilled')
  const throttled = results.filter(r => r.status === 'rejected').map(r => (r as PromiseRejectedResult).reason as TooManyRequestsException)
  t.equal(ok.length, 2, 'reserved concurrency 2 runs two')
  t.equal(throttled.length, 2)
  for (const e of throttled) {
    t.ok(e instanceof TooManyRequestsException)
    t.equal(e.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded')
    t.equal(e.$response?.headers?.['retry-after'] ?? e.retryAfterSeconds, '1')
  }
})

t.test('payload over 6 MB → RequestTooLargeException; malformed JSON → InvalidRequestContentException', async t => {
  const runtime = await startTestLambdaRuntime(t)
  const client = lambdaClient(runtime.url)
  const big = Buffer.alloc(6 * 1024 * 1024 + 1, 0x20)
  const tooLarge = await client.send(new InvokeCommand({ FunctionName: 'Echo-TEST', Payload: big })).catch((e: unknown) => e)
  t.ok(tooLarge instanceof RequestTooLargeException)
  const bad = await client.send(new InvokeCommand({ FunctionName: 'Echo-TEST', Payload: Buffer.from('{"a":') })).catch((e: unknown) => e)
  t.ok(bad instanceof InvalidRequestContentException)
  t.match((bad as Error).message, /^Could not parse request body into json: /)
})

t.test('DryRun → 204 without running; Event → 202 and runs in the background', async t => {
  const runtime = await startTestLambdaRuntime(t)
  const client = lambdaClient(runtime.url)
  const dry = await client.send(new InvokeCommand({ FunctionName: 'Echo-TEST', InvocationType: 'DryRun' }))
  t.equal(dry.StatusCode, 204)
  t.equal(runtime.functions().find(f => f.name === 'Echo-TEST')?.environments, 0, 'nothing ran')

  const marker = join(t.testdir(), 'touched')
  const ev = await client.send(new InvokeCommand({ FunctionName: 'Echo-TEST', InvocationType: 'Event', Payload: json({ touch: marker }) }))
  t.equal(ev.StatusCode, 202)
  for (let i = 0; i < 100 && !existsSync(marker); i++) await new Promise(resolve => setTimeout(resolve, 20))
  t.match(readFileSync(marker, 'utf8'), /^[0-9a-f-]{36}$/, 'the event ran with its own request id')
})

t.test('any other path or method is not the Invoke API', async t => {
  const runtime = await startTestLambdaRuntime(t)
  const res = await fetch(`${runtime.url}/2015-03-31/functions/Echo-TEST/configuration`)
  t.equal(res.status, 404)
  t.equal(res.headers.get('x-amzn-errortype'), 'UnknownOperationException')
})
