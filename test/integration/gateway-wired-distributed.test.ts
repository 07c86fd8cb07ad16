// Distributed mode as the product wires it: startGateway() with REDIS_URL. Two replicas on one
// Redis (a private key prefix) share the route state (a flip on A is in effect on B within 1 s),
// the audit trail, and the legacy cap (a burst through both never puts more than the one cap in
// flight at legacy). With Redis unreachable at start a replica still starts: degraded, /readyz
// 503 naming Redis, serving with the per-replica share of the legacy cap, admin changes refused.
import { redisTest } from '../helpers/redis-gate.js'
import { Agent, request } from 'undici'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'
import { closedPort } from '../helpers/ops-cli.js'
import { SHARED_REDIS_URL, testPrefix } from '../helpers/redis.js'
import { admin, eventually, startWiredGateway, wiredConfig } from '../helpers/wired-gateway.js'

const CAP = 4

redisTest('two replicas on one Redis: shared flips, audit and legacy cap', async t => {
  const stub = await startTestLegacyStub(t, { maxConcurrency: 64, latencyMs: 20, queueLimit: 1000 })
  const doc = wiredConfig({
    legacyUrl: stub.url,
    legacy: { maxConcurrency: CAP, queue: { maxSize: 200, maxWaitMs: 3000 } },
    extra: { distributed: { expectedReplicas: 2, keyPrefix: testPrefix(t) } }
  })
  const env = { REDIS_URL: SHARED_REDIS_URL }
  const a = await startWiredGateway(t, { doc, env })
  const b = await startWiredGateway(t, { doc, env })
  t.equal(a.stateMode, 'redis')
  t.equal(b.stateMode, 'redis')
  const ready = await fetch(`${b.adminUrl}/readyz`)
  t.equal(ready.status, 200)
  t.match(await ready.json(), { ready: true, checks: { redis: { ok: true } } })

  t.equal((await admin(a, '/admin/routes/budgets.get', { method: 'PATCH', body: { target: 'lambda', reason: 'via A' } })).status, 200)
  await eventually('B sees the flip made on A', () => b.routeState.get('budgets.get')?.target === 'lambda', 1000)
  const onB = (await admin(b, '/admin/audit')).json.entries
  t.equal(onB[0]?.reason, 'via A', 'one audit trail')
  t.equal((await admin(b, '/admin/routes/budgets.get', { method: 'PATCH', body: { target: null, reason: 'back via B' } })).status, 200)
  await eventually('A sees the rollback made on B', () => a.routeState.get('budgets.get')?.target === 'legacy', 1000)

  const agent = new Agent({ connections: 100 })
  t.teardown(() => agent.close())
  const statuses = await Promise.all(Array.from({ length: 60 }, async (_, i) => {
    const gw = i % 2 === 0 ? a : b
    const res = await request(`${gw.url}/api/Projects/1`, { dispatcher: agent })
    await res.body.dump()
    return res.statusCode
  }))
  const stats = await stub.stats()
  t.comment(`60 requests through 2 replicas: ${statuses.filter(s => s === 200).length} ok; legacy maxInflight ${stats.maxInflight}`)
  t.ok(stats.maxInflight <= CAP, `legacy maxInflight ${stats.maxInflight} <= the one shared cap ${CAP}`)
  t.ok(statuses.every(s => s === 200 || s === 503))
})

redisTest('Redis unreachable at start: starts degraded, not ready, per-replica share of the cap, changes refused', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 1 })
  const doc = wiredConfig({ legacyUrl: stub.url, legacy: { maxConcurrency: 8 }, extra: { distributed: { expectedReplicas: 2 } } })
  const gw = await startWiredGateway(t, { doc, env: { REDIS_URL: `redis://127.0.0.1:${await closedPort()}` } })
  t.equal(gw.stateMode, 'degraded')
  const ready = await fetch(`${gw.adminUrl}/readyz`)
  t.equal(ready.status, 503)
  t.match(await ready.json(), { ready: false, checks: { redis: { ok: false, detail: /redis unreachable at start/ } } })
  t.equal(gw.app.public.protection.legacy.limiter.limit, 4, 'cap 8 shared by 2 replicas: 4 here while Redis is away')
  const res = await fetch(`${gw.url}/api/Projects/1`)
  t.equal(res.status, 200, 'still serving')
  await res.arrayBuffer()
  // Route state lives in Redis (it is taken up once Redis answers: distributed-degraded-start-recovers.test.ts).
  const refused = await admin(gw, '/admin/routes/budgets.get', { method: 'PATCH', body: { target: 'lambda', reason: 'local' } })
  t.equal(refused.status, 500, 'a flip needs Redis: refused, not applied locally')
  t.equal(refused.json.code, 'GW_ERR_STATE_WRITE')
  t.equal(gw.routeState.get('budgets.get')?.target, 'legacy')
})
