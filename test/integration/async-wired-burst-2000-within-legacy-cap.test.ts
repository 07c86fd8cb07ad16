// Month-end billing run through the product (startGateway from a config file, the shipped
// wiring): 2,000 billing POSTs at once are acknowledged quickly, legacy never has more in flight
// than the gateway's cap — deliveries and live reads together — and afterwards legacy holds
// exactly 2,000 billings, one per request, each with its job id as Idempotency-Key.
import t from 'tap'
import { Pool } from 'undici'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'
import { eventually, startWiredGateway } from '../helpers/wired-gateway.js'
import { BILLINGS_ROUTE, asyncWiredDoc, metricValue } from '../helpers/async-wired.js'
import { billingBody, legacyBillings } from '../helpers/async.js'

const N = 2000
const CAP = 4

t.test('2,000 billings through startGateway: quick 202s, legacy within its cap, exactly 2,000 stored', async t => {
  const stub = await startTestLegacyStub(t, { maxConcurrency: CAP, latencyMs: 2, queueLimit: 64 })
  const doc = asyncWiredDoc({ legacyUrl: stub.url, legacy: { maxConcurrency: CAP }, async: { workerConcurrency: CAP } })
  const gw = await startWiredGateway(t, { doc })
  const client = new Pool(gw.url, { connections: 64 })
  t.teardown(() => client.close())

  const ackMs: number[] = []
  const ids = new Set<string>()
  let next = 0
  const started = performance.now()
  const sender = async (): Promise<void> => {
    while (next < N) {
      const i = next++
      const t0 = performance.now()
      const res = await client.request({ method: 'POST', path: '/api/billings', headers: { 'content-type': 'application/json' }, body: billingBody(i) })
      const body = await res.body.json() as { jobId: string }
      ackMs.push(performance.now() - t0)
      if (res.statusCode === 202) ids.add(body.jobId)
    }
  }
  // Live reads during the run share legacy's cap with the deliveries (which queue behind them).
  let liveOk = 0
  let liveShed = 0
  const run = { over: false }
  const live = async (): Promise<void> => {
    while (!run.over) {
      const res = await client.request({ method: 'GET', path: '/api/projects/1' })
      await res.body.dump()
      if (res.statusCode === 200) liveOk++
      else liveShed++
    }
  }
  const readers = Array.from({ length: 4 }, live)
  await Promise.all(Array.from({ length: 60 }, sender))
  const burstMs = performance.now() - started
  ackMs.sort((a, b) => a - b)
  const p50 = ackMs[Math.floor(N * 0.5) - 1]!
  const p99 = ackMs[Math.floor(N * 0.99) - 1]!
  t.equal(ids.size, N, 'every request got its own 202')
  t.comment(`burst of ${N}: all acknowledged in ${Math.round(burstMs)} ms, ack p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${ackMs[N - 1]!.toFixed(1)} ms`)
  // Generous for a loaded shared box (client, gateway and stub share this process).
  t.ok(p50 < 1000, `p50 ack ${p50.toFixed(1)} ms < 1 s`)
  t.ok(p99 < 3000, `p99 ack ${p99.toFixed(1)} ms < 3 s`)

  const queue = gw.app.asyncJobs!.queue
  await eventually('all delivered', async () => (await queue.counts()).delivered === N, 60_000)
  run.over = true
  await Promise.all(readers)
  const deliveredMs = performance.now() - started
  const stats = await stub.stats()
  t.comment(`all delivered after ${Math.round(deliveredMs)} ms; legacy maxInflight ${stats.maxInflight} (cap ${CAP}); live reads meanwhile: ${liveOk} ok, ${liveShed} shed`)
  // Load-independent: a synchronous path would acknowledge the last write only when legacy had
  // worked through all of them; the queue acknowledges the whole burst long before.
  t.ok(burstMs < deliveredMs / 2, `burst acknowledged in ${Math.round(burstMs)} ms, under half the ${Math.round(deliveredMs)} ms legacy needed`)
  t.ok(stats.maxInflight <= CAP, `legacy maxInflight ${stats.maxInflight} <= cap ${CAP}`)
  t.equal(stats.refused, 0, 'legacy never refused (its own queue never overflowed)')
  t.ok(liveOk > 0, 'live reads were served during the delivery run')
  t.equal(stats.billings, N)
  const billings = await legacyBillings(stub.url)
  t.equal(billings.length, N)
  t.equal(new Set(billings.map(b => b.Description)).size, N, 'one billing per request, none twice')
  t.same(new Set(billings.map(b => b.IdempotencyKey)), ids, 'each billing carries its job id')
  t.same(await queue.counts(), { queued: 0, delivering: 0, delivered: N, failed: 0, dead: 0 })

  const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text()
  t.equal(metricValue(metrics, 'gateway_async_jobs', { state: 'delivered' }), N)
  t.equal(metricValue(metrics, 'gateway_async_deliveries_total', { route: BILLINGS_ROUTE, outcome: 'delivered' }), N)
  t.comment(`deliveries shed by the shield (waited, no attempt burned): ${metricValue(metrics, 'gateway_async_deliveries_total', { route: BILLINGS_ROUTE, outcome: 'shed' }) ?? 0}`)
})
