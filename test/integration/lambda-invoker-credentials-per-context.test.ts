// Which credentials and region each invoke uses. AWS itself cannot run here: the role assumption
// is exercised against an STS protocol peer on port 0 (stsEndpoint) and the Invoke API peer checks
// the SigV4 Authorization header it receives (access key, region, service) — the same bytes real
// AWS would verify. The default credential chain is only checked for being selected, not called.
import t from 'tap'
import { createLambdaInvoker } from '../../gateway/src/targets/lambda-invoker.js'
import { hasEnvCredentials } from '../../gateway/src/targets/lambda-clients.js'
import { LambdaUnavailableError } from '../../gateway/src/errors.js'
import { startFakeInvokeApi } from '../fixtures/lambda-target/fake-invoke-api.js'
import { startFakeSts } from '../fixtures/lambda-target/fake-sts.js'

const ok = (): { kind: 'result', value: unknown } => ({ kind: 'result', value: { statusCode: 200 } })
const payload = Buffer.from('{}')

t.test('a context with roleArn assumes the role and signs for its region', async t => {
  const fake = await startFakeInvokeApi({ 'Billing-DEV': ok, 'Users-DEV': ok })
  t.teardown(() => fake.close())
  const sts = await startFakeSts()
  t.teardown(() => sts.close())
  const invoker = createLambdaInvoker({
    endpoint: fake.url,
    region: 'eu-central-1',
    env: {},
    stsEndpoint: sts.url,
    contexts: {
      billing: { region: 'eu-west-1', roleArn: 'arn:aws:iam::444455556666:role/gateway-invoke-billing' },
      users: {}
    }
  })
  t.teardown(() => invoker.close())

  await invoker.invoke({ functionName: 'Billing-DEV', payload, timeoutMs: 5000, idempotent: true, context: 'billing' })
  await invoker.invoke({ functionName: 'Billing-DEV', payload, timeoutMs: 5000, idempotent: false, context: 'billing' })
  t.equal(sts.calls.length, 1, 'one AssumeRole, the temporary credentials are cached across calls and clients')
  t.equal(sts.calls[0]?.params.get('Action'), 'AssumeRole')
  t.equal(sts.calls[0]?.params.get('RoleArn'), 'arn:aws:iam::444455556666:role/gateway-invoke-billing')
  t.equal(sts.calls[0]?.params.get('RoleSessionName'), 'strangler-gateway')
  t.match(sts.calls[0]?.authorization, /Credential=local-runtime\/\d{8}\/eu-west-1\/sts\//, 'STS call signed with the base credentials in the context region')
  const billingAuth = fake.seen[0]?.headers.authorization
  t.match(billingAuth, /^AWS4-HMAC-SHA256 Credential=ASIAFAKECONTEXTKEY\/\d{8}\/eu-west-1\/lambda\/aws4_request/, 'invoke signed with the assumed role, in the context region')
  t.equal(fake.seen[0]?.headers['x-amz-security-token'], 'fake-session-token')

  await invoker.invoke({ functionName: 'Users-DEV', payload, timeoutMs: 5000, idempotent: true, context: 'users' })
  t.match(fake.seen[2]?.headers.authorization, /Credential=local-runtime\/\d{8}\/eu-central-1\/lambda\//, 'a context without role/region uses the defaults')
  t.equal(sts.calls.length, 1, 'no role, no STS')

  const pair = invoker.clientsFor('billing')
  t.equal(pair.credentialSource, 'assume-role')
  t.equal(await pair.once.config.region(), 'eu-west-1')
  t.equal(invoker.clientsFor('billing'), pair, 'clients are reused per (region, role)')
  t.equal(invoker.clientsFor('users'), invoker.clientsFor(), 'same (region, role) → same clients')
  t.equal(await pair.once.config.maxAttempts(), 1)
  t.equal(await pair.retrying.config.maxAttempts(), 2)
})

t.test('credential source selection', async t => {
  const cases: Array<[string, Parameters<typeof createLambdaInvoker>[0], string]> = [
    ['endpoint, no env credentials → dummy', { endpoint: 'http://127.0.0.1:3001', region: 'eu-central-1', env: {} }, 'dummy-local'],
    ['endpoint, env credentials → default chain', { endpoint: 'http://127.0.0.1:3001', region: 'eu-central-1', env: { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x' } }, 'default-chain'],
    ['endpoint, AWS_PROFILE → default chain', { endpoint: 'http://127.0.0.1:3001', region: 'eu-central-1', env: { AWS_PROFILE: 'dev' } }, 'default-chain'],
    ['real AWS, no env credentials → default chain, never dummy', { region: 'eu-central-1', env: {} }, 'default-chain'],
    ['real AWS (empty endpoint) → default chain', { endpoint: '', region: 'eu-central-1', env: {} }, 'default-chain'],
    ['explicit credentials win', { endpoint: 'http://127.0.0.1:3001', region: 'eu-central-1', env: {}, credentials: async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }) }, 'explicit']
  ]
  for (const [name, opts, expected] of cases) {
    const invoker = createLambdaInvoker(opts)
    t.equal(invoker.clientsFor().credentialSource, expected, name)
    invoker.close()
  }
  t.equal(hasEnvCredentials({ AWS_ACCESS_KEY_ID: '' }), false, 'empty values do not count')
  t.equal(hasEnvCredentials({ AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token' }), true)
  t.equal(hasEnvCredentials({ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/creds' }), true)
})

t.test('an unknown context is refused before any call', async t => {
  const fake = await startFakeInvokeApi({ 'Users-DEV': ok })
  t.teardown(() => fake.close())
  const invoker = createLambdaInvoker({ endpoint: fake.url, region: 'eu-central-1', env: {}, contexts: {} })
  t.teardown(() => invoker.close())
  const err = await invoker.invoke({ functionName: 'Users-DEV', payload, timeoutMs: 5000, idempotent: true, context: 'nope' })
    .then(() => undefined, (e: unknown) => e) as Error
  t.ok(err instanceof LambdaUnavailableError)
  t.equal(err.message, 'function Users-DEV could not be invoked: unknown lambda context')
  t.equal(fake.count('Users-DEV'), 0)
})
