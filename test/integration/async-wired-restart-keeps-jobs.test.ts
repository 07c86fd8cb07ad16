// Jobs survive a restart of startGateway on the same state dir: a graceful stop in the middle of
// a delivery run lets in-flight deliveries finish (or releases them to queued) — nothing is left
// `delivering` — and the next start on the same dir delivers the rest, each billing exactly once.
import t from 'tap'
import { SqliteJobQueue } from '../../gateway/src/async/sqlite-job-queue.js'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'
import { eventually, scratchDir, startWiredGateway } from '../helpers/wired-gateway.js'
import { asyncWiredDoc, getJob } from '../helpers/async-wired.js'
import { billingBody, legacyBillings } from '../helpers/async.js'

const N = 30

t.test('stop mid-run, start again on the same dir: the rest is delivered, none twice', async t => {
  const stub = await startTestLegacyStub(t, { maxConcurrency: 2, latencyMs: 150 })
  const dir = scratchDir(t)
  const doc = asyncWiredDoc({ legacyUrl: stub.url, legacy: { maxConcurrency: 2 } })
  const first = await startWiredGateway(t, { doc, dir })
  const locations: string[] = []
  for (let i = 0; i < N; i++) {
    const res = await fetch(`${first.url}/api/billings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: billingBody(i) })
    t.equal(res.status, 202)
    locations.push(res.headers.get('location') ?? '')
  }
  const queue = first.app.asyncJobs!.queue
  await eventually('a few delivered', async () => (await queue.counts()).delivered >= 3, 10_000)
  await first.stop()
  const delivered = (await stub.stats()).billings

  // Between the two runs: what the first one left on disk.
  const onDisk = new SqliteJobQueue({ dataDir: `${first.stateDir}/async`, maxQueuedJobs: 1000 })
  const counts = await onDisk.counts()
  await onDisk.close()
  t.equal(counts.delivering, 0, 'the graceful stop left nothing mid-delivery')
  t.equal(counts.delivered, delivered, 'every billing legacy stored is marked delivered')
  t.equal(counts.queued, N - delivered, 'the rest waits on disk')
  t.ok(counts.queued > 0, `stopped mid-run (${counts.queued} still queued)`)

  const second = await startWiredGateway(t, { doc, dir })
  t.equal(second.stateDir, first.stateDir)
  await eventually('all delivered after the restart', async () => (await second.app.asyncJobs!.queue.counts()).delivered === N, 20_000)
  for (const location of [locations[0]!, locations[N - 1]!]) {
    const { status, job } = await getJob(second.url, location)
    t.equal(status, 200, 'the job ids of the first run resolve after the restart')
    t.equal(job.state, 'delivered')
  }
  const billings = await legacyBillings(stub.url)
  t.equal(billings.length, N, 'legacy holds every billing')
  t.equal(new Set(billings.map(b => b.Description)).size, N, 'none twice')
  t.equal((await stub.stats()).maxInflight <= 2, true, 'legacy never above its cap')
})
