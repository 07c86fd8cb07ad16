// The gateway process is SIGKILLed while deliveries are in flight; a new process on the same
// data dir requeues the interrupted jobs and delivers the rest with the SAME Idempotency-Key:
// legacy ends with exactly one billing per acknowledged request (none lost, none twice).
import t from 'tap'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'
import { billingBody, legacyBillings, waitFor } from '../helpers/async.js'
import { bundleAsyncChild, spawnAsyncChild } from '../helpers/async-child.js'

const N = 300

t.test('SIGKILL mid-delivery, restart: no loss, no duplicate', async t => {
  const dir = t.testdir()
  const stub = await startTestLegacyStub(t, { maxConcurrency: 2, latencyMs: 15 })
  const bundle = await bundleAsyncChild(dir)
  const env = { LEGACY_URL: stub.url, DATA_DIR: `${dir}/data`, WORKER_CONCURRENCY: '2' }

  const first = await spawnAsyncChild(t, bundle, env)
  const acked = new Set<string>()
  const refused: string[] = []
  for (let i = 0; i < N; i += 50) {
    const batch = await Promise.all(Array.from({ length: 50 }, async (_, k) => {
      const res = await fetch(`${first.url}/api/billings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: billingBody(i + k) })
      return { status: res.status, body: await res.json() as { jobId: string, code?: string, detail?: string } }
    }))
    for (const r of batch) {
      if (r.status === 202) acked.add(r.body.jobId)
      else refused.push(`${r.status} ${r.body.code ?? ''} ${r.body.detail ?? ''}`)
    }
  }
  t.equal(acked.size, N, 'all acknowledged')
  t.same(refused, [], 'no refusals')

  // Kill while legacy is working on a delivery, part-way through the queue.
  await waitFor('deliveries under way', async () => {
    const s = await stub.stats()
    return s.billings >= N / 4 && s.inflight > 0
  }, 15_000, 5)
  await first.kill()
  const atKill = (await stub.stats()).billings
  t.ok(atKill < N, `killed with ${atKill} of ${N} delivered`)

  const second = await spawnAsyncChild(t, bundle, env)
  await waitFor('all delivered after restart', async () => (await stub.stats()).billings >= N, 20_000, 50)
  // A grace period in which a duplicate would show up.
  await new Promise(resolve => setTimeout(resolve, 300))
  const stats = await stub.stats()
  const billings = await legacyBillings(stub.url)
  t.comment(`at kill ${atKill}/${N}; after restart ${billings.length}; legacy idempotent replays ${stats.idempotentReplays}`)
  t.equal(billings.length, N, 'exactly N billings')
  t.equal(new Set(billings.map(b => b.Description)).size, N, 'no duplicate')
  t.same(new Set(billings.map(b => b.IdempotencyKey)), acked, 'one billing per acknowledged job id')
  const res = await fetch(`${second.url}/_gateway/jobs/${[...acked][0]!}`)
  t.equal(((await res.json()) as { state: string }).state, 'delivered', 'job state survives the restart')
})
