// A function with active tracing gets the gateway's trace as X-Amzn-Trace-Id on the Invoke
// request: through the real SDK and the local runtime it arrives as the handler's _X_AMZN_TRACE_ID.
import t from 'tap'
import { InvokeCommand } from '@aws-sdk/client-lambda'
import { withInvokeTraceHeader } from '../../gateway/src/tracing/invoke-trace-header.js'
import { xrayHeaderOf } from '../../gateway/src/tracing/xray-header.js'
import { json, lambdaClient, parsePayload, startTestLambdaRuntime } from '../helpers/lambda-runtime.js'

t.test('the header reaches the function; a plain command sends none', async t => {
  const runtime = await startTestLambdaRuntime(t)
  const client = lambdaClient(runtime.url)
  const header = xrayHeaderOf({ traceId: '674f1a2b0123456789abcdef01234567', spanId: '00f067aa0ba902b7', traceFlags: 1 })
  const traced = await client.send(withInvokeTraceHeader(new InvokeCommand({ FunctionName: 'TracedActive-TEST', Payload: json({}) }), header))
  t.same(parsePayload(traced.Payload), { trace: 'Root=1-674f1a2b-0123456789abcdef01234567;Parent=00f067aa0ba902b7;Sampled=1', atInit: null })
  const plain = await client.send(new InvokeCommand({ FunctionName: 'TracedActive-TEST', Payload: json({}) }))
  const own = (parsePayload(plain.Payload) as { trace: string }).trace
  t.notMatch(own, /674f1a2b/, 'without the header the function runs in a trace of its own')
})
