// Init Duration in the REPORT line is the module init of the handler (here a 250 ms top-level
// await), reported on the cold start only and not counted in Duration.
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
  t.ok(init !== undefined && init >= 240, `Init Duration covers the 250 ms init (${init} ms)`)
  t.ok((field(cold, 'Duration') ?? Infinity) < 240, `Duration excludes init (${field(cold, 'Duration')} ms)`)
  t.match(cold, /Memory Size: 256 MB/)
  t.equal(field(warm, 'Init Duration'), undefined, 'warm: no Init Duration')
  const duration = field(warm, 'Duration')!
  t.equal(field(warm, 'Billed Duration'), Math.max(1, Math.ceil(duration)), 'billed = duration rounded up to the ms')
})
