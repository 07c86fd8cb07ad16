// Runtime state of the product lives in the state directory: a flip and a rollout made through
// the admin API of one gateway are in effect in a new gateway started on the same directory
// (and audited there); a corrupt state file makes startGateway refuse with GW_ERR_STATE_CORRUPT
// instead of silently forgetting the flips.
import t from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startFakeInvokeApi } from '../fixtures/lambda-target/fake-invoke-api.js'
import { echoHandler, startOrigin } from '../helpers/gateway.js'
import { admin, scratchDir, startWiredGateway, wiredConfig } from '../helpers/wired-gateway.js'

t.test('a flip survives a restart on the same state dir', async t => {
  const legacy = await startOrigin(t, echoHandler())
  const lambda = await startFakeInvokeApi({ 'Budget-DEV': () => ({ kind: 'result', value: { statusCode: 200, body: 'lambda' } }) })
  t.teardown(() => lambda.close())
  const dir = scratchDir(t)
  const doc = wiredConfig({ legacyUrl: legacy.url, lambdaEndpoint: lambda.url })

  const first = await startWiredGateway(t, { doc, dir })
  t.equal((await admin(first, '/admin/routes/budgets.get', { method: 'PATCH', body: { target: 'lambda', rolloutPercent: 40, reason: 'canary' } })).status, 200)
  const hit = await fetch(`${first.url}/api/budgets/1`, { headers: { 'x-user-id': 'u-1' } })
  await hit.arrayBuffer()
  await first.stop()

  const second = await startWiredGateway(t, { doc, dir })
  const route = (await admin(second, '/admin/routes/budgets.get')).json.route
  t.match(route, { id: 'budgets.get', target: 'lambda', rolloutPercent: 40 }, 'the runtime values came back')
  t.match(JSON.stringify(route), /"runtime"/, 'marked as runtime overrides')
  t.ok(route.lastHit !== null && route.lastHit !== undefined, 'the last hit was flushed on stop and restored')
  const audit = (await admin(second, '/admin/audit')).json.entries
  t.equal(audit[0]?.reason, 'canary', 'the audit log is on disk too')

  // At 40 % a stable set of users goes to the Lambda: the new gateway honours the state.
  const targets = await Promise.all(Array.from({ length: 40 }, async (_, i) => {
    const res = await fetch(`${second.url}/api/budgets/1`, { headers: { 'x-user-id': `u-${i}` } })
    await res.arrayBuffer()
    return res.headers.get('x-gateway-target')
  }))
  t.ok(targets.includes('lambda') && targets.includes('legacy'), `40 % split after the restart (${targets.filter(x => x === 'lambda').length}/40 on the Lambda)`)
})

t.test('a corrupt state file: startGateway rejects with GW_ERR_STATE_CORRUPT, nothing listens', async t => {
  const legacy = await startOrigin(t, echoHandler())
  const dir = scratchDir(t)
  const stateDir = join(dir, 'var')
  const first = await startWiredGateway(t, { doc: wiredConfig({ legacyUrl: legacy.url }), dir })
  await first.stop()
  writeFileSync(join(stateDir, 'gateway-state.json'), '{"version":1,"routes":{"budgets.get":{"target":"lam')
  await t.rejects(startWiredGateway(t, { doc: wiredConfig({ legacyUrl: legacy.url }), dir }), {
    code: 'GW_ERR_STATE_CORRUPT',
    message: /gateway-state\.json is corrupt/
  })
})
