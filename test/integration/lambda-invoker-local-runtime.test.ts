// The invoker against the REAL local runtime (lambdas/runtime, fixture template
// test/fixtures/lambda-runtime/template.yaml): success with a parsed REPORT (cold, then warm),
// function error, throttle at reserved concurrency, the gateway timeout firing while the function
// still runs (and no re-send: a second invocation would need a second execution environment
// because the first one is busy), unknown function.
import t from 'tap'
import { createLambdaInvoker } from '../../gateway/src/targets/lambda-invoker.js'
import type { LambdaFunctionErrorInstance, LambdaThrottledErrorInstance } from '../../gateway/src/targets/lambda-invoker.js'
import { LambdaFunctionError, LambdaThrottledError, LambdaTimeoutError, LambdaUnavailableError } from '../../gateway/src/errors.js'
import { startTestLambdaRuntime } from '../helpers/lambda-runtime.js'

const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v))
const fail = (e: unknown): unknown => e

t.test('the invoker through the real local runtime', async t => {
  const runtime = await startTestLambdaRuntime(t)
  const invoker = createLambdaInvoker({ endpoint: runtime.url, region: 'eu-central-1', env: {} })
  t.teardown(() => invoker.close())
  const envs = (name: string): number | undefined => runtime.functions().find(f => f.name === name)?.environments

  t.test('success with REPORT: cold, then warm', async t => {
    const cold = await invoker.invoke({ functionName: 'Echo-TEST', payload: json({ hello: 1 }), timeoutMs: 5000, idempotent: true })
    t.equal(cold.statusCode, 200)
    t.match(JSON.parse(Buffer.from(cold.payload).toString('utf8')), { event: { hello: 1 }, functionName: 'Echo-TEST' })
    t.equal(cold.report?.coldStart, true)
    t.ok((cold.report?.initDurationMs ?? -1) >= 0, 'Init Duration on the cold start')
    t.ok((cold.report?.billedDurationMs ?? 0) >= 1)
    t.equal(cold.report?.memorySizeMb, 128)
    const warm = await invoker.invoke({ functionName: 'Echo-TEST', payload: json({}), timeoutMs: 5000, idempotent: false })
    t.equal(warm.report?.coldStart, false)
  })

  t.test('function error', async t => {
    const err = await invoker.invoke({ functionName: 'Throw-TEST', payload: json({}), timeoutMs: 5000, idempotent: true }).then(undefined, fail) as LambdaFunctionErrorInstance
    t.ok(err instanceof LambdaFunctionError)
    t.equal(err.message, 'function Throw-TEST failed')
    t.equal(err.errorType, 'TypeError')
    t.equal(err.errorMessage, 'boom')
    t.equal(err.report?.coldStart, true)
  })

  t.test('throttle at reserved concurrency (2), not retried', async t => {
    const busy = [1, 2].map(() => invoker.invoke({ functionName: 'Slow-TEST', payload: json({ ms: 600 }), timeoutMs: 5000, idempotent: true }))
    await new Promise(resolve => setTimeout(resolve, 150))
    const err = await invoker.invoke({ functionName: 'Slow-TEST', payload: json({ ms: 0 }), timeoutMs: 5000, idempotent: true }).then(undefined, fail) as LambdaThrottledErrorInstance
    t.ok(err instanceof LambdaThrottledError)
    t.equal(err.statusCode, 503)
    t.equal((err.cause as Error).name, 'TooManyRequestsException')
    const done = await Promise.all(busy)
    t.equal(done.length, 2, 'the running invocations finish normally')
  })

  t.test('gateway timeout fires before the function finishes; invoked once', async t => {
    const started = performance.now()
    const err = await invoker.invoke({ functionName: 'Echo-TEST', payload: json({ holdMs: 1500 }), timeoutMs: 200, idempotent: true }).then(undefined, fail) as Error
    const elapsed = performance.now() - started
    t.ok(err instanceof LambdaTimeoutError)
    t.equal(err.message, 'function Echo-TEST did not answer within 200 ms')
    t.ok(elapsed < 1400, `rejected after ${Math.round(elapsed)} ms, while the function holds 1500 ms`)
    await new Promise(resolve => setTimeout(resolve, 300))
    // the one warm environment is busy with the held invocation: a re-send would have needed a second one
    t.equal(envs('Echo-TEST'), 1, 'one execution environment: no second invocation was sent')
  })

  t.test('unknown function', async t => {
    const err = await invoker.invoke({ functionName: 'Nope-TEST', payload: json({}), timeoutMs: 5000, idempotent: true }).then(undefined, fail) as Error
    t.ok(err instanceof LambdaUnavailableError)
    t.equal(err.message, 'function Nope-TEST could not be invoked: function not found')
  })
})
