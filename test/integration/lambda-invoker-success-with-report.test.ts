// A successful RequestResponse invoke through the real SDK against an Invoke API peer on port 0:
// the payload comes back untouched, the REPORT line of the log tail is parsed (cold on the first
// call of the function, warm after), `LogType: Tail` and the qualifier go on the wire.
import t from 'tap'
import { createLambdaInvoker } from '../../gateway/src/targets/lambda-invoker.js'
import { startFakeInvokeApi } from '../fixtures/lambda-target/fake-invoke-api.js'

t.test('invoke returns the payload and the parsed REPORT (cold, then warm)', async t => {
  const fake = await startFakeInvokeApi({
    'Users-DEV': (event) => ({ kind: 'result', value: { statusCode: 200, body: JSON.stringify({ echo: event }) } })
  })
  t.teardown(() => fake.close())
  const invoker = createLambdaInvoker({ endpoint: fake.url, region: 'eu-central-1', env: {} })
  t.teardown(() => invoker.close())

  const event = { version: '2.0', rawPath: '/api/users/1' }
  const first = await invoker.invoke({
    functionName: 'Users-DEV', qualifier: 'live', payload: Buffer.from(JSON.stringify(event)), timeoutMs: 5000, idempotent: true
  })
  t.equal(first.statusCode, 200)
  t.same(JSON.parse(Buffer.from(first.payload).toString('utf8')), { statusCode: 200, body: JSON.stringify({ echo: event }) })
  t.match(first.report, { durationMs: 3.21, billedDurationMs: 4, memorySizeMb: 128, maxMemoryUsedMb: 42, initDurationMs: 87.65, coldStart: true })
  t.match(first.report?.requestId, /^fake-\d+$/)
  t.equal(first.functionError, undefined)
  t.equal(first.executedVersion, '$LATEST')
  t.ok(first.durationMs >= 0 && first.durationMs < 5000, 'durationMs is measured')

  const second = await invoker.invoke({ functionName: 'Users-DEV', payload: Buffer.from('{}'), timeoutMs: 5000, idempotent: false })
  t.equal(second.report?.coldStart, false, 'warm: no Init Duration')
  t.notOk(second.report && 'initDurationMs' in second.report)

  t.equal(fake.count('Users-DEV'), 2, 'one invocation per call')
  t.equal(fake.seen[0]?.headers['x-amz-log-type'], 'Tail')
  t.equal(fake.seen[0]?.headers['x-amz-invocation-type'], 'RequestResponse')
  t.equal(fake.seen[0]?.qualifier, 'live')
  t.equal(fake.seen[1]?.qualifier, null, 'no qualifier → unqualified')
  t.same(fake.seen[0]?.event, event, 'the event reaches the function as sent')
  t.equal(fake.seen[1]?.remotePort, fake.seen[0]?.remotePort, 'the keep-alive connection is reused (even across the once/retrying clients)')
  t.match(fake.seen[0]?.headers.authorization, /^AWS4-HMAC-SHA256 Credential=local-runtime\//, 'signed with the dummy local credentials')
})
