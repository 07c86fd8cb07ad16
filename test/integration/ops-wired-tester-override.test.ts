// Tester override through the product: with testerOverride enabled and GATEWAY_OVERRIDE_SECRET
// set, `x-gateway-force-target: lambda;<secret>` sends a request of a legacy route to its Lambda
// (and `legacy;<secret>` the other way); a wrong or missing secret is ignored. The header never
// reaches either side: what the legacy origin and the Lambda event received is asserted.
import t from 'tap'
import { startFakeInvokeApi } from '../fixtures/lambda-target/fake-invoke-api.js'
import { echoHandler, startOrigin } from '../helpers/gateway.js'
import { OVERRIDE_SECRET, startWiredGateway, wiredConfig } from '../helpers/wired-gateway.js'

const HEADER = 'x-tester-target'

t.test('override only with the secret; the header is stripped on both sides', async t => {
  const legacy = await startOrigin(t, echoHandler())
  const lambda = await startFakeInvokeApi({
    'Budget-DEV': () => ({ kind: 'result', value: { statusCode: 200, body: 'lambda' } }),
    'Users-DEV': () => ({ kind: 'result', value: { statusCode: 200, body: 'lambda' } })
  })
  t.teardown(() => lambda.close())
  const doc = wiredConfig({ legacyUrl: legacy.url, lambdaEndpoint: lambda.url, extra: { testerOverride: { enabled: true, header: HEADER } } })
  const gw = await startWiredGateway(t, { doc, env: { GATEWAY_OVERRIDE_SECRET: OVERRIDE_SECRET } })

  const call = async (path: string, value?: string): Promise<{ target: string | null, body: string }> => {
    const res = await fetch(`${gw.url}${path}`, { headers: value === undefined ? {} : { [HEADER]: value } })
    return { target: res.headers.get('x-gateway-target'), body: await res.text() }
  }

  // budgets.get is on legacy: only the right secret moves it.
  const forced = await call('/api/budgets/1', `lambda;${OVERRIDE_SECRET}`)
  t.same(forced, { target: 'lambda', body: 'lambda' }, 'the secret forces the Lambda')
  const event = lambda.seen.at(-1)?.event as { headers: Record<string, string> }
  t.notOk(HEADER in event.headers, 'the override header is not in the Lambda event')
  t.ok(Object.keys(event.headers).length > 0)

  for (const wrong of ['lambda;not-the-secret-at-all', 'lambda', `lambda;${OVERRIDE_SECRET}x`, `${OVERRIDE_SECRET}`]) {
    const res = await call('/api/budgets/1', wrong)
    t.equal(res.target, 'legacy', `"${wrong.replace(OVERRIDE_SECRET, '<secret>')}" is ignored`)
    const received = JSON.parse(res.body) as { headers: Record<string, string> }
    t.notOk(HEADER in received.headers, 'and stripped before legacy')
  }

  // users.get is on the Lambda: the secret can force legacy too, and legacy never sees the header.
  const back = await call('/api/users/1', `legacy;${OVERRIDE_SECRET}`)
  t.equal(back.target, 'legacy')
  t.notOk(HEADER in (JSON.parse(back.body) as { headers: Record<string, string> }).headers, 'stripped before legacy')
  t.same(await call('/api/users/1'), { target: 'lambda', body: 'lambda' }, 'without the header: the route state')
  t.equal(lambda.count('Budget-DEV'), 1, 'only the one forced request reached Budget-DEV')
})

t.test('enabled without a usable secret: the gateway refuses to start', async t => {
  const legacy = await startOrigin(t, echoHandler())
  const doc = wiredConfig({ legacyUrl: legacy.url, extra: { testerOverride: { enabled: true } } })
  await t.rejects(startWiredGateway(t, { doc, env: { GATEWAY_OVERRIDE_SECRET: 'short' } }), {
    code: 'GW_ERR_CONFIG_INVALID',
    message: /testerOverride\.enabled: testerOverride is enabled but GATEWAY_OVERRIDE_SECRET is missing or shorter than 16/
  })
})
