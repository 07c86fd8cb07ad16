// Hot reload of the product's config, both ways in: the file watch (an editor-style save: temp
// file renamed over gateway.yaml) and POST /admin/reload. A valid change applies to new requests
// while a request routed before it finishes on the old table; an invalid change is refused with
// every error (logged, audited, returned by the admin API) and the old config keeps serving.
// Runtime overrides survive a reload.
import t from 'tap'
import { startFakeInvokeApi } from '../fixtures/lambda-target/fake-invoke-api.js'
import { startOrigin } from '../helpers/gateway.js'
import { admin, eventually, startWiredGateway, wiredConfig, writeConfigFile } from '../helpers/wired-gateway.js'

async function targetOf (url: string): Promise<string | null> {
  const res = await fetch(url)
  await res.arrayBuffer()
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`)
  return res.headers.get('x-gateway-target')
}

function withBudgetTarget (doc: Record<string, unknown>, target: string): Record<string, unknown> {
  const routes = (doc.routes as Array<Record<string, unknown>>).map(r => r.id === 'budgets.get' ? { ...r, target } : r)
  return { ...doc, routes }
}

t.test('file watch: valid save applies (in-flight request finishes on the old table), invalid save refused', async t => {
  let slowArrived = 0
  const legacy = await startOrigin(t, (req, res) => {
    if (req.url?.includes('slow=1')) {
      slowArrived++
      setTimeout(() => res.end('legacy-slow'), 400)
      return
    }
    res.end('legacy')
  })
  const lambda = await startFakeInvokeApi({ 'Budget-DEV': () => ({ kind: 'result', value: { statusCode: 200, body: 'lambda' } }) })
  t.teardown(() => lambda.close())
  const doc = wiredConfig({ legacyUrl: legacy.url, lambdaEndpoint: lambda.url })
  const gw = await startWiredGateway(t, { doc })
  t.equal(await targetOf(`${gw.url}/api/budgets/1`), 'legacy')

  // A request routed to legacy is in flight while the file flips the route to the Lambda.
  const inflight = fetch(`${gw.url}/api/budgets/1?slow=1`).then(async r => ({ status: r.status, target: r.headers.get('x-gateway-target'), body: await r.text() }))
  await eventually('the slow request reached legacy', () => slowArrived === 1)
  writeConfigFile(gw.configPath, withBudgetTarget(doc, 'lambda'))
  await eventually('the saved file applied', async () => await targetOf(`${gw.url}/api/budgets/1`) === 'lambda')
  t.same(await inflight, { status: 200, target: 'legacy', body: 'legacy-slow' }, 'the in-flight request finished on the old table')
  t.equal(gw.app.context.config.routes.find(r => r.id === 'budgets.get')?.target, 'lambda')

  // An invalid save: typo'd key and a bad target. Refused whole; the previous config serves.
  const broken = withBudgetTarget(doc, 'lamda')
  ;(broken.legacy as Record<string, unknown>).maxConcurency = 4
  writeConfigFile(gw.configPath, broken)
  await eventually('the refusal is audited', async () =>
    (await admin(gw, '/admin/audit')).json.entries.some((e: { action: string }) => e.action === 'config.reload.refused'))
  const refused = (await admin(gw, '/admin/audit')).json.entries.find((e: { action: string }) => e.action === 'config.reload.refused')
  t.match(refused, { who: 'config-watch', reason: 'config file changed' })
  t.match(refused.after.errors.join('\n'), /legacy\.maxConcurency: unknown key/)
  t.match(refused.after.errors.join('\n'), /routes\[1\]\.target: expected one of legacy\|lambda/)
  t.equal(await targetOf(`${gw.url}/api/budgets/1`), 'lambda', 'the last valid config keeps serving')
  const applied = (await admin(gw, '/admin/audit')).json.entries.filter((e: { action: string }) => e.action === 'config.reload')
  t.equal(applied.length, 1, 'the valid save was audited once')
})

t.test('POST /admin/reload: invalid → 400 with every error, valid → applied; runtime flips survive', async t => {
  const legacy = await startOrigin(t, (_req, res) => { res.end('legacy') })
  const lambda = await startFakeInvokeApi({ 'Budget-DEV': () => ({ kind: 'result', value: { statusCode: 200, body: 'lambda' } }) })
  t.teardown(() => lambda.close())
  const doc = wiredConfig({ legacyUrl: legacy.url, lambdaEndpoint: lambda.url })
  // No file watch here: the admin endpoint alone must do it.
  const gw = await startWiredGateway(t, { doc, start: { watch: false } })
  t.equal((await admin(gw, '/admin/routes/users.get', { method: 'PATCH', body: { target: 'legacy', reason: 'pin' } })).status, 200)

  writeConfigFile(gw.configPath, 'legacy:\n  url: not-a-url\nroutes:\n  - id: x\n')
  const bad = await admin(gw, '/admin/reload', { method: 'POST', body: { reason: 'try' } })
  t.equal(bad.status, 400)
  t.equal(bad.json.code, 'GW_ERR_ADMIN_RELOAD_REFUSED')
  const messages = bad.json.errors.map((e: { message: string }) => e.message).join('\n')
  t.match(messages, /legacy\.url: expected an http:\/\/ or https:\/\/ URL/)
  t.match(messages, /routes\[0\]/)
  t.equal(await targetOf(`${gw.url}/api/budgets/1`), 'legacy', 'old config still serving')

  writeConfigFile(gw.configPath, withBudgetTarget(doc, 'lambda'))
  const good = await admin(gw, '/admin/reload', { method: 'POST', body: { reason: 'budget to lambda' } })
  t.equal(good.status, 200)
  t.equal(await targetOf(`${gw.url}/api/budgets/1`), 'lambda', 'applied on the next request')
  t.equal(await targetOf(`${gw.url}/api/users/1`), 'legacy', 'the runtime flip of users.get survived the reload')
  const actions = (await admin(gw, '/admin/audit')).json.entries.map((e: { action: string }) => e.action)
  t.same(actions, ['config.reload', 'config.reload.refused', 'route.patch'])
})
