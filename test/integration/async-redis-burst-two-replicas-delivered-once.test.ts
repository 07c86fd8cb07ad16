// Month-end billing run on the Redis queue: two gateway replicas share one stream; 2,000 billing
// POSTs spread over both are acknowledged quickly (202 once Redis stored the job), the consumer
// group splits the deliveries between the replicas' workers, legacy never has more in flight
// than the replicas' caps together, and afterwards legacy holds exactly 2,000 billings, none twice.
import { redisTest } from '../helpers/redis-gate.js'
import { Pool } from 'undici'
import { RedisJobQueue } from '../../gateway/src/async/redis-job-queue.js'
import { billingBody, legacyBillings, waitFor } from '../helpers/async.js'
import { startQueueGateway } from '../helpers/async-redis.js'
import type { QueueGateway } from '../helpers/async-redis.js'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'
import { SHARED_REDIS_URL, testPrefix } from '../helpers/redis.js'

const N = 2000
const PER_REPLICA = 2

redisTest('2,000 billings over two replicas: quick 202s, legacy within the caps, exactly 2,000 stored', async t => {
  const stub = await startTestLegacyStub(t, { maxConcurrency: 2 * PER_REPLICA, latencyMs: 1, queueLimit: 64 })
  const keyPrefix = testPrefix(t)
  const replicas: QueueGateway[] = []
  for (let r = 0; r < 2; r++) {
    const queue = await RedisJobQueue.open({ url: SHARED_REDIS_URL, keyPrefix, maxQueuedJobs: 100_000 })
    t.teardown(() => queue.close())
    replicas.push(await startQueueGateway(t, { legacyUrl: stub.url, queue, concurrency: PER_REPLICA }))
  }
  const clients = replicas.map(gw => new Pool(gw.url, { connections: 32 }))
  t.teardown(() => Promise.all(clients.map(c => c.close())))

  const ackMs: number[] = []
  const ids = new Set<string>()
  let next = 0
  const started = performance.now()
  const sender = async (): Promise<void> => {
    while (next < N) {
      const i = next++
      const t0 = performance.now()
      const res = await clients[i % 2]!.request({ method: 'POST', path: '/api/billings', headers: { 'content-type': 'application/json' }, body: billingBody(i) })
      const body = await res.body.json() as { jobId: string }
      ackMs.push(performance.now() - t0)
      if (res.statusCode === 202) ids.add(body.jobId)
    }
  }
  await Promise.all(Array.from({ length: 64 }, sender))
  const burstMs = performance.now() - started
  ackMs.sort((a, b) => a - b)
  const p50 = ackMs[Math.floor(N * 0.5) - 1]!
  const p99 = ackMs[Math.floor(N * 0.99) - 1]!
  t.equal(ids.size, N, 'every request got its own 202')
  t.comment(`burst of ${N} over 2 replicas (Redis queue): acknowledged in ${Math.round(burstMs)} ms, ack p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`)
  t.ok(p50 < 1000, `p50 ack ${p50.toFixed(1)} ms < 1 s`)
  t.ok(p99 < 3000, `p99 ack ${p99.toFixed(1)} ms < 3 s`)

  const queue = replicas[0]!.queue
  await waitFor('all delivered', async () => (await queue.counts()).delivered === N, 30_000, 100)
  const stats = await stub.stats()
  const perReplica = replicas.map(gw => gw.worker.stats.delivered)
  t.comment(`all delivered after ${Math.round(performance.now() - started)} ms; per replica ${perReplica.join(' + ')}; legacy maxInflight ${stats.maxInflight}`)
  t.equal(perReplica[0]! + perReplica[1]!, N, 'each job delivered by exactly one replica')
  t.ok(perReplica.every(n => n > 0), 'the consumer group shared the work')
  t.ok(stats.maxInflight <= 2 * PER_REPLICA, `legacy maxInflight ${stats.maxInflight} <= ${2 * PER_REPLICA}`)
  t.equal(stats.refused, 0, 'legacy never refused')
  t.equal(stats.billings, N)
  const billings = await legacyBillings(stub.url)
  t.equal(billings.length, N)
  t.equal(new Set(billings.map(b => b.Description)).size, N, 'one billing per request, none twice')
  t.same(new Set(billings.map(b => b.IdempotencyKey)), ids, 'each billing carries its job id')
  t.same(await queue.counts(), { queued: 0, delivering: 0, delivered: N, failed: 0, dead: 0 })
  const pending = await (queue as RedisJobQueue).client.xpending(`${keyPrefix}stream`, 'delivery')
  t.equal(pending[0], 0, 'nothing left pending in the consumer group')
})
