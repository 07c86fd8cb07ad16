// A replica started while Redis was down (issue 7: "returns to shared state when Redis is back")
// does not wait for a restart: it starts degraded (/readyz 503, gateway_distributed_degraded 1,
// the per-replica share of the legacy cap), and once Redis answers it loads the shared route
// state, hears flips made on another replica and shares the one legacy cap again.
// Uses a private redis-server (stopped and started here), never the shared one.
import { redisTest } from '../helpers/redis-gate.js'
import { Agent, request } from 'undici'
import type { RedisSemaphore } from '../../gateway/src/distributed/redis-semaphore.js'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'
import { startPrivateRedis } from '../helpers/redis.js'
import { admin, eventually, startWiredGateway, wiredConfig } from '../helpers/wired-gateway.js'
import type { WiredGateway } from '../helpers/wired-gateway.js'

const CAP = 4

async function degradedGauge (gw: WiredGateway): Promise<number | undefined> {
  const text = await (await fetch(`${gw.adminUrl}/metrics`)).text()
  const line = text.split('\n').find(l => l.startsWith('gateway_distributed_degraded '))
  return line === undefined ? undefined : Number(line.split(' ')[1])
}

redisTest('started while Redis was down: degraded, then shared state again once Redis is up', async t => {
  const redis = await startPrivateRedis(t)
  await redis.kill()
  const stub = await startTestLegacyStub(t, { maxConcurrency: 64, latencyMs: 150, queueLimit: 1000 })
  const doc = wiredConfig({
    legacyUrl: stub.url,
    legacy: { maxConcurrency: CAP, queue: { maxSize: 200, maxWaitMs: 5000 } },
    extra: { distributed: { expectedReplicas: 2 } }
  })
  const env = { REDIS_URL: redis.url }
  const a = await startWiredGateway(t, { doc, env })
  t.equal(a.stateMode, 'degraded', 'A started without Redis')
  const notReady = await fetch(`${a.adminUrl}/readyz`)
  t.equal(notReady.status, 503)
  t.match(await notReady.json(), { checks: { redis: { ok: false, detail: /redis unreachable at start/ } } })
  t.equal(await degradedGauge(a), 1, 'gateway_distributed_degraded 1')
  const limiter = a.app.public.protection.legacy.limiter as unknown as RedisSemaphore
  t.equal(limiter.limit, CAP / 2, 'legacy cap 4 shared by 2 replicas: 2 on A while Redis is away')

  const restarted = performance.now()
  await redis.start()
  await eventually('A ready again', async () => (await fetch(`${a.adminUrl}/readyz`)).status === 200, 10_000)
  const recoveredMs = performance.now() - restarted
  t.comment(`A back on shared state ${Math.round(recoveredMs)} ms after redis-server was started`)
  t.ok(recoveredMs < 5000, `within the reconnect backoff cap (2 s) + a probe: ${Math.round(recoveredMs)} ms`)
  t.equal(await degradedGauge(a), 0, 'gateway_distributed_degraded 0')
  t.equal(limiter.limit, CAP, 'the shared cap is in force again')

  const b = await startWiredGateway(t, { doc, env })
  t.equal(b.stateMode, 'redis')
  t.equal((await admin(b, '/admin/routes/budgets.get', { method: 'PATCH', body: { target: 'lambda', reason: 'via B' } })).status, 200)
  const flipped = performance.now()
  await eventually('A sees the flip made on B', () => a.routeState.get('budgets.get')?.target === 'lambda', 1000)
  t.comment(`flip on B in effect on A after ${Math.round(performance.now() - flipped)} ms`)
  t.equal((await admin(a, '/admin/routes/budgets.get', { method: 'PATCH', body: { target: null, reason: 'back via A' } })).status, 200, 'A accepts changes again')
  await eventually('B sees the rollback made on A', () => b.routeState.get('budgets.get')?.target === 'legacy', 1000)
  t.equal((await admin(b, '/admin/audit')).json.entries[0]?.reason, 'back via A', 'one audit trail')

  const agent = new Agent({ connections: 64 })
  t.teardown(() => agent.close())
  const burst = async (replicas: WiredGateway[], n: number): Promise<number[]> => {
    await stub.reset()
    return await Promise.all(Array.from({ length: n }, async (_, i) => {
      const gw = replicas[i % replicas.length] as WiredGateway
      const res = await request(`${gw.url}/api/Projects/1`, { dispatcher: agent })
      await res.body.dump()
      return res.statusCode
    }))
  }
  t.ok((await burst([a], 12)).every(s => s === 200))
  const alone = (await stub.stats()).maxInflight
  t.ok(alone > CAP / 2 && alone <= CAP, `A alone used the shared cap: legacy maxInflight ${alone} (local share ${CAP / 2}, shared cap ${CAP})`)
  t.ok((await burst([a, b], 24)).every(s => s === 200))
  const both = (await stub.stats()).maxInflight
  t.ok(both <= CAP, `A and B together: legacy maxInflight ${both} <= the one cap ${CAP}`)
})
