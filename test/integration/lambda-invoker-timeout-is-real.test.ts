// The gateway's Lambda timeout is real: the invoke rejects with LambdaTimeoutError (504) when the
// deadline passes, while the function is still running, and the function is NOT invoked again
// (not even for an idempotent request, which is otherwise allowed one retry). The second test
// shows why an AbortController is needed at all: the SDK's own `requestTimeout` only logs a
// warning (unless throwOnRequestTimeout) — the call still waits for the slow function.
import t from 'tap'
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda'
import { createLambdaInvoker } from '../../gateway/src/targets/lambda-invoker.js'
import { LambdaTimeoutError } from '../../gateway/src/errors.js'
import { startFakeInvokeApi } from '../fixtures/lambda-target/fake-invoke-api.js'

const SLOW_MS = 900

t.test('the gateway timeout fires before the function finishes and never re-sends', async t => {
  const fake = await startFakeInvokeApi({ Slow: () => ({ kind: 'result', value: 'late', delayMs: SLOW_MS }) })
  t.teardown(() => fake.close())
  const invoker = createLambdaInvoker({ endpoint: fake.url, region: 'eu-central-1', env: {} })
  t.teardown(() => invoker.close())

  for (const idempotent of [true, false]) {
    const started = performance.now()
    const err = await invoker.invoke({ functionName: 'Slow', payload: Buffer.from('{}'), timeoutMs: 150, idempotent })
      .then(() => undefined, (e: unknown) => e) as Error & { code: string, statusCode: number }
    const elapsed = performance.now() - started
    const finishedBefore = idempotent ? 0 : 1 // the first round's function has had time to end by now
    t.equal(fake.completed('Slow'), finishedBefore, 'the function was still running when the invoke gave up')
    t.ok(err instanceof LambdaTimeoutError, `idempotent=${idempotent}: LambdaTimeoutError`)
    t.equal(err.statusCode, 504)
    t.equal(err.message, 'function Slow did not answer within 150 ms')
    t.ok(err.cause, 'cause kept')
    t.ok(elapsed >= 140 && elapsed < SLOW_MS, `rejected after ${Math.round(elapsed)} ms (timeout 150, function ${SLOW_MS})`)
    await fake.settled() // every started invocation ran to its end: any re-send would be counted
  }
  t.equal(fake.count('Slow'), 2, 'exactly one invocation per call — no re-send after the timeout')
})

t.test('a caller abort ends the invoke at once (client went away)', async t => {
  const fake = await startFakeInvokeApi({ Slow: () => ({ kind: 'result', value: 'late', delayMs: SLOW_MS }) })
  t.teardown(() => fake.close())
  const invoker = createLambdaInvoker({ endpoint: fake.url, region: 'eu-central-1', env: {} })
  t.teardown(() => invoker.close())
  const caller = new AbortController()
  setTimeout(() => caller.abort(), 50)
  const err = await invoker.invoke({ functionName: 'Slow', payload: Buffer.from('{}'), timeoutMs: 5000, idempotent: true, signal: caller.signal })
    .then(() => undefined, (e: unknown) => e) as Error & { code: string }
  t.equal(err.code, 'GW_ERR_LAMBDA_UNAVAILABLE')
  t.equal(err.message, 'function Slow could not be invoked: aborted by the caller')
  await fake.settled()
  t.equal(fake.count('Slow'), 1, 'not re-sent')
})

t.test('the SDK requestTimeout alone does not end the call (why the AbortController exists)', async t => {
  const fake = await startFakeInvokeApi({ Slow: () => ({ kind: 'result', value: 'late', delayMs: 400 }) })
  t.teardown(() => fake.close())
  const warnings: unknown[] = []
  const client = new LambdaClient({
    endpoint: fake.url,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
    requestHandler: { requestTimeout: 100 },
    logger: { debug () {}, info () {}, warn: (...args: unknown[]) => { warnings.push(args) }, error () {} }
  })
  t.teardown(() => client.destroy())
  const out = await client.send(new InvokeCommand({ FunctionName: 'Slow', Payload: Buffer.from('{}') }))
  t.equal(Buffer.from(out.Payload ?? []).toString('utf8'), '"late"', 'the call waited for the function despite requestTimeout 100 ms')
  t.equal(fake.count('Slow'), 1)
})
