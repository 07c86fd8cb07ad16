// Through the real SDK: the first invocation starts an execution environment (Init Duration in
// its REPORT), the next reuses it warm; concurrent invocations get environments of their own.
import t from 'tap'
import { InvokeCommand } from '@aws-sdk/client-lambda'
import { decodeLog, json, lambdaClient, parsePayload, startTestLambdaRuntime } from '../helpers/lambda-runtime.js'

interface Echo { environment: number, inits: number, greeting: string, regionSeen: string, extra?: string, functionName: string, remainingMs: number }

t.test('cold start once, then warm; the REPORT line says which', async t => {
  const runtime = await startTestLambdaRuntime(t)
  const client = lambdaClient(runtime.url)
  const first = await client.send(new InvokeCommand({ FunctionName: 'Echo-TEST', Payload: json({ n: 1 }), LogType: 'Tail' }))
  const second = await client.send(new InvokeCommand({ FunctionName: 'Echo-TEST', Payload: json({ n: 2 }), LogType: 'Tail' }))
  t.equal(first.StatusCode, 200)
  t.equal(first.ExecutedVersion, '$LATEST')
  const a = parsePayload(first.Payload) as Echo
  const b = parsePayload(second.Payload) as Echo
  t.equal(a.environment, b.environment, 'the warm environment was reused')
  t.equal(b.inits, 1, 'module init ran once')

  const coldLog = decodeLog(first.LogResult)
  const warmLog = decodeLog(second.LogResult)
  t.match(coldLog, /^START RequestId: [0-9a-f-]{36} Version: \$LATEST\n/)
  t.match(coldLog, /\tINFO\techo {"n":1}\n/, 'the function console output is in the log')
  t.match(coldLog, /END RequestId: [0-9a-f-]{36}\n/)
  t.match(coldLog, /REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms\t\n$/)
  t.match(warmLog, /REPORT RequestId: .*Max Memory Used: \d+ MB\t\n$/)
  t.notMatch(warmLog, /Init Duration/, 'no Init Duration on a warm start')
  t.notMatch(JSON.stringify(first.$metadata), /error/i)
})

t.test('template environment, pseudo parameters and overrides reach the function', async t => {
  const runtime = await startTestLambdaRuntime(t, {
    parameterOverrides: { Greeting: 'servus' },
    envOverrides: { 'Echo-TEST': { EXTRA: 'from-override' } }
  })
  const res = await lambdaClient(runtime.url).send(new InvokeCommand({ FunctionName: 'Echo-TEST', Payload: json({}) }))
  const body = parsePayload(res.Payload) as Echo
  t.equal(body.greeting, 'servus')
  t.equal(body.regionSeen, 'eu-central-1/TEST')
  t.equal(body.extra, 'from-override')
  t.equal(body.functionName, 'Echo-TEST')
  t.ok(body.remainingMs > 0 && body.remainingMs <= 3000, 'context.getRemainingTimeInMillis within the Timeout')
})

t.test('concurrent invocations run in separate execution environments', async t => {
  const runtime = await startTestLambdaRuntime(t)
  const client = lambdaClient(runtime.url)
  const results = await Promise.all([1, 2, 3, 4].map(n =>
    client.send(new InvokeCommand({ FunctionName: 'Echo-TEST', Payload: json({ n, holdMs: 300 }), LogType: 'Tail' }))))
  const envs = new Set(results.map(r => (parsePayload(r.Payload) as Echo).environment))
  t.equal(envs.size, 4, 'four environments for four concurrent invocations')
  t.equal(results.filter(r => decodeLog(r.LogResult).includes('Init Duration')).length, 4, 'each was a cold start')
  t.equal(runtime.functions().find(f => f.name === 'Echo-TEST')?.environments, 4)
})

t.test('idle environments are reaped, so the next invocation is cold again', async t => {
  const runtime = await startTestLambdaRuntime(t, { idleTimeoutMs: 150 })
  const client = lambdaClient(runtime.url)
  await client.send(new InvokeCommand({ FunctionName: 'Echo-TEST', Payload: json({}) }))
  t.equal(runtime.functions().find(f => f.name === 'Echo-TEST')?.environments, 1)
  await new Promise(resolve => setTimeout(resolve, 400))
  t.equal(runtime.functions().find(f => f.name === 'Echo-TEST')?.environments, 0, 'reaped after idling')
  const again = await client.send(new InvokeCommand({ FunctionName: 'Echo-TEST', Payload: json({}), LogType: 'Tail' }))
  t.match(decodeLog(again.LogResult), /Init Duration/)
})

t.test('a callback-style handler answers through its callback', async t => {
  const runtime = await startTestLambdaRuntime(t)
  const res = await lambdaClient(runtime.url).send(new InvokeCommand({ FunctionName: 'Callback-TEST', Payload: json({ n: 7 }) }))
  t.same(parsePayload(res.Payload), { viaCallback: true, n: 7 })
})
