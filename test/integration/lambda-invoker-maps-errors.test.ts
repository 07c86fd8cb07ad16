// Invoke failures become the gateway's typed errors (gateway/src/errors.ts) with `cause` kept:
// FunctionError → LambdaFunctionError 502 (the function's errorType/errorMessage on the error for
// logs, not in its message), throttle → LambdaThrottledError 503 with Retry-After seconds and no
// retry, unknown function / refused connection → LambdaUnavailableError 502.
import net from 'node:net'
import t from 'tap'
import { createLambdaInvoker, LAMBDA_PAYLOAD_LIMIT_BYTES } from '../../gateway/src/targets/lambda-invoker.js'
import type { LambdaFunctionErrorInstance, LambdaThrottledErrorInstance } from '../../gateway/src/targets/lambda-invoker.js'
import { LambdaFunctionError, LambdaThrottledError, LambdaUnavailableError, PayloadTooLargeError } from '../../gateway/src/errors.js'
import { startFakeInvokeApi } from '../fixtures/lambda-target/fake-invoke-api.js'

const payload = Buffer.from('{}')

t.test('typed errors from the Invoke API', async t => {
  const fake = await startFakeInvokeApi({
    Failing: () => ({ kind: 'error', errorType: 'ValidationError', errorMessage: 'secret internal detail' }),
    Throttled: () => ({ kind: 'throttle', retryAfterSeconds: 7 }),
    ThrottledNoHint: () => ({ kind: 'throttle' })
  })
  t.teardown(() => fake.close())
  const invoker = createLambdaInvoker({ endpoint: fake.url, region: 'eu-central-1', env: {} })
  t.teardown(() => invoker.close())

  const fnErr = await invoker.invoke({ functionName: 'Failing', payload, timeoutMs: 5000, idempotent: true })
    .then(() => undefined, (e: unknown) => e) as LambdaFunctionErrorInstance
  t.ok(fnErr instanceof LambdaFunctionError)
  t.equal(fnErr.code, 'GW_ERR_LAMBDA_FUNCTION_ERROR')
  t.equal(fnErr.statusCode, 502)
  t.equal(fnErr.message, 'function Failing failed', 'the function message stays out of the error message')
  t.equal(fnErr.functionError, 'Unhandled')
  t.equal(fnErr.errorType, 'ValidationError')
  t.equal(fnErr.errorMessage, 'secret internal detail')
  t.equal(fnErr.report?.coldStart, true, 'the REPORT is kept on failures too')
  t.match(String((fnErr.cause as Error).message), 'ValidationError: secret internal detail')
  t.equal(fake.count('Failing'), 1, 'a function error is never retried')

  const throttled = await invoker.invoke({ functionName: 'Throttled', payload, timeoutMs: 5000, idempotent: true })
    .then(() => undefined, (e: unknown) => e) as LambdaThrottledErrorInstance
  t.ok(throttled instanceof LambdaThrottledError)
  t.equal(throttled.statusCode, 503)
  t.equal(throttled.retryAfterSeconds, 7)
  t.equal((throttled.cause as Error).name, 'TooManyRequestsException')
  t.equal(fake.count('Throttled'), 1, 'a throttle is not retried, even for idempotent invokes')

  const noHint = await invoker.invoke({ functionName: 'ThrottledNoHint', payload, timeoutMs: 5000, idempotent: true })
    .then(() => undefined, (e: unknown) => e) as LambdaThrottledErrorInstance
  t.ok(noHint instanceof LambdaThrottledError)
  t.equal(noHint.retryAfterSeconds, undefined)

  const missing = await invoker.invoke({ functionName: 'Nope-DEV', payload, timeoutMs: 5000, idempotent: true })
    .then(() => undefined, (e: unknown) => e) as Error & { code: string }
  t.ok(missing instanceof LambdaUnavailableError)
  t.equal(missing.message, 'function Nope-DEV could not be invoked: function not found')
  t.equal((missing.cause as Error).name, 'ResourceNotFoundException')
})

t.test('connection refused → LambdaUnavailableError with the transport code', async t => {
  // a port that was just free: nothing listens there
  const probe = net.createServer()
  await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as net.AddressInfo
  await new Promise<void>(resolve => probe.close(() => resolve()))
  const invoker = createLambdaInvoker({ endpoint: `http://127.0.0.1:${port}`, region: 'eu-central-1', env: {} })
  t.teardown(() => invoker.close())
  const err = await invoker.invoke({ functionName: 'Users-DEV', payload, timeoutMs: 5000, idempotent: false })
    .then(() => undefined, (e: unknown) => e) as Error & { code: string, statusCode: number }
  t.ok(err instanceof LambdaUnavailableError)
  t.equal(err.statusCode, 502)
  t.equal(err.message, 'function Users-DEV could not be invoked: transport error ECONNREFUSED')
  t.ok(err.cause, 'cause kept')
})

t.test('an event over the 6 MB Lambda limit → 413 before any call', async t => {
  const fake = await startFakeInvokeApi({ Big: () => ({ kind: 'result', value: 'never' }) })
  t.teardown(() => fake.close())
  const invoker = createLambdaInvoker({ endpoint: fake.url, region: 'eu-central-1', env: {} })
  t.teardown(() => invoker.close())
  t.equal(LAMBDA_PAYLOAD_LIMIT_BYTES, 6 * 1024 * 1024)
  const err = await invoker.invoke({ functionName: 'Big', payload: Buffer.alloc(LAMBDA_PAYLOAD_LIMIT_BYTES + 1, 0x20), timeoutMs: 5000, idempotent: true })
    .then(() => undefined, (e: unknown) => e) as Error & { statusCode: number }
  t.ok(err instanceof PayloadTooLargeError)
  t.equal(err.statusCode, 413)
  t.equal(fake.count('Big'), 0, 'not sent')
})
