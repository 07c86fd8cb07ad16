// maxAttempts is deliberate (gateway/src/targets/lambda-retry.ts): idempotent invokes get ONE
// retry after a transport failure or a 5xx service error; non-idempotent invokes are sent once.
// Counted on the Invoke API peer, so the number of executions is what is asserted.
import t from 'tap'
import { createLambdaInvoker } from '../../gateway/src/targets/lambda-invoker.js'
import { LambdaUnavailableError } from '../../gateway/src/errors.js'
import { startFakeInvokeApi } from '../fixtures/lambda-target/fake-invoke-api.js'

const payload = Buffer.from('{}')

t.test('retry policy by idempotency', async t => {
  const fake = await startFakeInvokeApi({
    // first call: the connection is reset (a stale keep-alive socket); then it answers
    ResetOnceA: (_e, n) => n === 1 ? { kind: 'reset' } : { kind: 'result', value: { statusCode: 200 } },
    ResetOnceB: (_e, n) => n === 1 ? { kind: 'reset' } : { kind: 'result', value: { statusCode: 200 } },
    Broken: () => ({ kind: 'service-error', status: 500, type: 'ServiceException' })
  })
  t.teardown(() => fake.close())
  const invoker = createLambdaInvoker({ endpoint: fake.url, region: 'eu-central-1', env: {} })
  t.teardown(() => invoker.close())

  const ok = await invoker.invoke({ functionName: 'ResetOnceA', payload, timeoutMs: 5000, idempotent: true })
  t.equal(ok.statusCode, 200, 'idempotent: retried once after a reset, then succeeded')
  t.equal(fake.count('ResetOnceA'), 2)

  const err = await invoker.invoke({ functionName: 'ResetOnceB', payload, timeoutMs: 5000, idempotent: false })
    .then(() => undefined, (e: unknown) => e) as Error
  t.ok(err instanceof LambdaUnavailableError, 'non-idempotent: the reset is reported, not retried')
  t.match(err.message, /^function ResetOnceB could not be invoked: transport error E[A-Z]+$/)
  t.equal(fake.count('ResetOnceB'), 1)

  const broken = await invoker.invoke({ functionName: 'Broken', payload, timeoutMs: 5000, idempotent: true })
    .then(() => undefined, (e: unknown) => e) as Error
  t.ok(broken instanceof LambdaUnavailableError)
  t.equal(broken.message, 'function Broken could not be invoked: ServiceException (HTTP 500)')
  t.equal(fake.count('Broken'), 2, 'idempotent: at most 2 attempts in total')

  await invoker.invoke({ functionName: 'Broken', payload, timeoutMs: 5000, idempotent: false }).catch(() => {})
  t.equal(fake.count('Broken'), 3, 'non-idempotent: 1 attempt')
})
