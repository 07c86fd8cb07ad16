// Init Duration in the REPORT line is the cold start (worker boot + the handler module's init,
// here a 600 ms top-level await), reported on the cold start only, not counted in Duration and
// not counted against the function's Timeout (1 s here), as on Lambda.
import t from 'tap'
import { InvokeCommand } from '@aws-sdk/client-lambda'
import { decodeLog, lambdaClient, startTestLambdaRuntime } from '../helpers/lambda-runtime.js'

const field = (log: string, name: string): number | undefined => {
  const m = new RegExp(`\\t${name}: ([\\d.]+) ms`).exec(log)
  return m ? Number(m[1]) : undefined
}

t.test('a slow module init shows as Init Duration, not Duration', async t => {
  const runtime = await startTestLambdaRuntime(t)
  const client = lambdaClient(runtime.url)
  const cold = decodeLog((await client.send(new InvokeCommand({ FunctionName: 'InitHeavy-TEST', LogType: 'Tail' }))).LogResult)
  const warm = decodeLog((await client.send(new InvokeCommand({ FunctionName: 'InitHeavy-TEST', LogType: 'Tail' }))).LogResult)
  const init = field(cold, 'Init Duration')
  t.ok(init !== undefined && init >= 590, `Init Duration covers the 600 ms init (${init} ms)`)
  t.ok((field(cold, 'Duration') ?? Infinity) < 590, `Duration excludes init (${field(cold, 'Duration')} ms)`)
  t.match(cold, /Memory Size: 256 MB/)
  t.equal(field(warm, 'Init Duration'), undefined, 'warm: no Init Duration')
  const duration = field(warm, 'Duration')!
  t.equal(field(warm, 'Billed Duration'), Math.max(1, Math.ceil(duration)), 'billed = duration rounded up to the ms')
})

t.test('the Timeout counts from the handler start, not from the cold start', async t => {
  const runtime = await startTestLambdaRuntime(t)
  const client = lambdaClient(runtime.url)
  // 600 ms init + 600 ms handler exceeds the 1 s Timeout only if init were counted.
  const res = await client.send(new InvokeCommand({ FunctionName: 'InitHeavy-TEST', Payload: Buffer.from('{"ms":600}'), LogType: 'Tail' }))
  t.equal(res.FunctionError, undefined, 'no Sandbox.Timedout')
  const log = decodeLog(res.LogResult)
  t.ok((field(log, 'Duration') ?? 0) >= 590, `Duration is the handler's ${field(log, 'Duration')} ms`)
  t.ok((field(log, 'Init Duration') ?? 0) >= 590)
})
