// Legacy down for a while: the intake keeps answering 202, deliveries fail and then wait behind
// the open breaker (waits burn no attempts), and once legacy is back every job is delivered once.
import t from 'tap'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'
import { legacyBillings, postBilling, startAsyncGateway, waitFor } from '../helpers/async.js'

const N = 40

t.test('jobs wait while legacy is down and deliver on recovery', async t => {
  const stub = await startTestLegacyStub(t, { maxConcurrency: 4, latencyMs: 1 })
  const gw = await startAsyncGateway(t, {
    legacyUrl: stub.url,
    dataDir: t.testdir(),
    route: { maxAttempts: 50, backoff: { baseMs: 20, maxMs: 100 } }
  })
  await stub.faults({ down: true })

  const ids: string[] = []
  const statuses: number[] = []
  for (let i = 0; i < N; i++) {
    const res = await postBilling(gw.url, i)
    statuses.push(res.status)
    ids.push(res.json.jobId as string)
  }
  t.same(statuses, Array(N).fill(202), 'every write accepted while legacy is down')
  // Deliveries fail until the breaker opens; then they wait.
  await waitFor('breaker open', () => gw.protection.breakers.state('legacy') === 'open', 10_000)
  await waitFor('waits recorded', () => gw.jobs.worker.stats.waited > 0, 10_000)
  const counts = (await gw.jobs.queue.counts())
  t.equal(counts.delivered, 0, 'nothing delivered while down')
  t.equal(counts.dead + counts.failed, 0, 'nothing given up')
  // inject(): the stub's sockets are down, its app is not.
  const stats = (await stub.app.inject({ url: '/__stats' })).json<{ billings: number }>()
  t.equal(stats.billings, 0, 'legacy stored nothing')

  await stub.faults({ down: false })
  await waitFor('all delivered', async () => (await gw.jobs.queue.counts()).delivered === N, 20_000, 50)
  const billings = await legacyBillings(stub.url)
  t.equal(billings.length, N, 'every job delivered after recovery')
  t.equal(new Set(billings.map(b => b.IdempotencyKey)).size, N, 'none twice')
  const maxAttempts = Math.max(...(await Promise.all(ids.map(id => gw.jobs.queue.get(id)))).map(j => j!.attempts))
  t.comment(`worker: ${JSON.stringify(gw.jobs.worker.stats)}; most attempts of one job: ${maxAttempts}`)
  t.ok(maxAttempts < 50, 'waiting behind the breaker burned no attempt budget to speak of')
})
