// Gateway processes on the Redis queue are SIGKILLed while deliveries are in flight. Restarted
// under the same consumer name, a replica takes back its interrupted jobs at once; with two
// replicas, the survivor's sweep takes over the dead one's jobs once they are idle past
// claimIdleMs. Either way every acknowledged job reaches legacy exactly once (same
// Idempotency-Key on redelivery: legacy replays instead of billing twice).
import { redisTest } from '../helpers/redis-gate.js'
import type { Test } from 'tap'
import { billingBody, legacyBillings, waitFor } from '../helpers/async.js'
import { spawnAsyncChild } from '../helpers/async-child.js'
import { bundleRedisChild } from '../helpers/async-redis.js'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'
import { SHARED_REDIS_URL, testPrefix } from '../helpers/redis.js'

const N = 300

async function postAll (t: Test, url: string): Promise<Set<string>> {
  const acked = new Set<string>()
  const refused: number[] = []
  for (let i = 0; i < N; i += 50) {
    const batch = await Promise.all(Array.from({ length: 50 }, async (_, k) => {
      const res = await fetch(`${url}/api/billings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: billingBody(i + k) })
      return { status: res.status, body: await res.json() as { jobId: string } }
    }))
    for (const r of batch) {
      if (r.status === 202) acked.add(r.body.jobId)
      else refused.push(r.status)
    }
  }
  t.same(refused, [], 'no refusals')
  t.equal(acked.size, N, 'all acknowledged')
  return acked
}

async function exactlyOnce (t: Test, stubUrl: string, acked: Set<string>): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, 300)) // a duplicate would show up here
  const billings = await legacyBillings(stubUrl)
  t.equal(billings.length, N, 'exactly N billings')
  t.equal(new Set(billings.map(b => b.Description)).size, N, 'no duplicate')
  t.same(new Set(billings.map(b => b.IdempotencyKey)), acked, 'one billing per acknowledged job id')
}

redisTest('SIGKILL mid-delivery, restart under the same consumer name: no loss, no duplicate', async t => {
  const dir = t.testdir()
  const stub = await startTestLegacyStub(t, { maxConcurrency: 2, latencyMs: 15 })
  const bundle = await bundleRedisChild(dir)
  // claimIdleMs far beyond the test: only the own-consumer recovery at start can explain success.
  const env = { LEGACY_URL: stub.url, REDIS_URL: SHARED_REDIS_URL, KEY_PREFIX: testPrefix(t), CONSUMER: 'gw-0', CLAIM_IDLE_MS: '600000', WORKER_CONCURRENCY: '2' }
  const first = await spawnAsyncChild(t, bundle, env)
  const acked = await postAll(t, first.url)
  await waitFor('deliveries under way', async () => {
    const s = await stub.stats()
    return s.billings >= N / 4 && s.inflight > 0
  }, 15_000, 5)
  await first.kill()
  const atKill = (await stub.stats()).billings
  t.ok(atKill < N, `killed with ${atKill} of ${N} delivered`)
  await spawnAsyncChild(t, bundle, env)
  await waitFor('all delivered after restart', async () => (await stub.stats()).billings >= N, 20_000, 50)
  t.comment(`restart: at kill ${atKill}/${N}; legacy idempotent replays ${(await stub.stats()).idempotentReplays}`)
  await exactlyOnce(t, stub.url, acked)
})

redisTest('two replicas, one SIGKILLed mid-delivery: the survivor takes over its jobs', async t => {
  const dir = t.testdir()
  const stub = await startTestLegacyStub(t, { maxConcurrency: 4, latencyMs: 15 })
  const bundle = await bundleRedisChild(dir)
  const base = { LEGACY_URL: stub.url, REDIS_URL: SHARED_REDIS_URL, KEY_PREFIX: testPrefix(t), CLAIM_IDLE_MS: '1000', WORKER_CONCURRENCY: '2' }
  const victim = await spawnAsyncChild(t, bundle, { ...base, CONSUMER: 'gw-a' })
  const survivor = await spawnAsyncChild(t, bundle, { ...base, CONSUMER: 'gw-b' })
  const acked = await postAll(t, victim.url)
  await waitFor('deliveries under way', async () => {
    const s = await stub.stats()
    return s.billings >= N / 4 && s.inflight > 0
  }, 15_000, 5)
  await victim.kill()
  const atKill = (await stub.stats()).billings
  t.ok(atKill < N, `killed with ${atKill} of ${N} delivered`)
  await waitFor('all delivered by the survivor', async () => (await stub.stats()).billings >= N, 30_000, 50)
  t.comment(`takeover: at kill ${atKill}/${N}; legacy idempotent replays ${(await stub.stats()).idempotentReplays}`)
  await exactlyOnce(t, stub.url, acked)
  const res = await fetch(`${survivor.url}/_gateway/jobs/${[...acked][0]!}`)
  t.equal(((await res.json()) as { state: string }).state, 'delivered', 'any replica answers the job state')
})
