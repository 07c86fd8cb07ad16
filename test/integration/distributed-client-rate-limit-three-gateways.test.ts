// Issue 7 done-when, through the product wiring: three gateway replicas (startGateway with
// REDIS_URL) share one per-client token bucket. One client spreading requests over all three
// gets what one gateway would give it (burst + rate × time, within one bucket step), not three
// times that; another client keeps its own bucket.
import { redisTest } from '../helpers/redis-gate.js'
import { Agent, request } from 'undici'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'
import { SHARED_REDIS_URL, testPrefix } from '../helpers/redis.js'
import { startWiredGateway, wiredConfig } from '../helpers/wired-gateway.js'
import type { WiredGateway } from '../helpers/wired-gateway.js'

const RULE = { perSecond: 5, burst: 10 }

redisTest('per-client limit across 3 wired replicas: one bucket, not three', async t => {
  const stub = await startTestLegacyStub(t, { maxConcurrency: 64, latencyMs: 1 })
  const doc = wiredConfig({
    legacyUrl: stub.url,
    legacy: { maxConcurrency: 64, clientRateLimit: { ...RULE, key: 'header:x-client-id' } },
    extra: { distributed: { expectedReplicas: 3, keyPrefix: testPrefix(t) } }
  })
  const env = { REDIS_URL: SHARED_REDIS_URL }
  const replicas: WiredGateway[] = []
  for (let i = 0; i < 3; i++) replicas.push(await startWiredGateway(t, { doc, env }))
  const agent = new Agent({ connections: 16 })
  t.teardown(() => agent.close())
  const send = async (gw: WiredGateway, client: string): Promise<number> => {
    const res = await request(`${gw.url}/api/Projects/1`, { dispatcher: agent, headers: { 'x-client-id': client } })
    await res.body.dump()
    return res.statusCode
  }

  const started = performance.now()
  let admitted = 0
  let refused = 0
  let otherOk = 0
  let otherSent = 0
  for (let round = 0; performance.now() - started < 1000; round++) {
    const statuses = await Promise.all(replicas.flatMap(gw => [send(gw, 'client-a'), send(gw, 'client-a')]))
    admitted += statuses.filter(s => s === 200).length
    refused += statuses.filter(s => s === 429).length
    if (round % 5 === 0) { otherSent++; if (await send(replicas[round % 3] as WiredGateway, 'client-b') === 200) otherOk++ }
    await new Promise(resolve => setTimeout(resolve, 25))
  }
  const elapsedS = (performance.now() - started) / 1000
  const single = RULE.burst + elapsedS * RULE.perSecond
  const ready = await Promise.all(replicas.map(async gw => (await fetch(`${gw.adminUrl}/readyz`)).status))
  t.same(ready, [200, 200, 200], 'every replica on the shared state throughout')
  t.comment(`client A: ${admitted} admitted, ${refused} refused in ${elapsedS.toFixed(2)} s; one gateway would admit ${single.toFixed(1)}; three unshared buckets ~${(3 * single).toFixed(0)}`)
  t.ok(admitted <= Math.ceil(single) + 1, `admitted ${admitted} <= ${single.toFixed(1)} + one bucket step`)
  t.ok(admitted >= RULE.burst, `and at least the burst (${admitted} >= ${RULE.burst})`)
  t.ok(refused > 0, 'the rest was refused with 429')
  t.equal(otherOk, otherSent, 'client B has its own bucket and is never refused')
})
