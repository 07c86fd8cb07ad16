// gateway_async_oldest_queued_seconds, read from the SQLite queue at scrape time: 0 with nothing
// queued (never absent, so an alert on it cannot go blind), then the age of the oldest job since
// its 202 as the clock moves, through its retries; 0 again once it is delivered. The lookup is
// one seek in an index, not a scan of the jobs table.
import t from 'tap'
import { Registry } from 'prom-client'
import { createAsyncMetrics } from '../../gateway/src/async/async-metrics.js'
import { SqliteJobQueue } from '../../gateway/src/async/sqlite-job-queue.js'
import { newJob } from '../helpers/job-queue-contract.js'

const NAME = 'gateway_async_oldest_queued_seconds'
const done = { status: 200, headers: {}, body: '', truncated: false }

t.test('the oldest queued job ages with the clock; none queued reads 0', async t => {
  let now = 1_800_000_000_000
  const queue = new SqliteJobQueue({ dataDir: t.testdir(), maxQueuedJobs: 100, now: () => now })
  t.teardown(() => queue.close())
  const registry = new Registry()
  createAsyncMetrics(registry, queue, () => now)
  const read = async (): Promise<string> => await registry.getSingleMetricAsString(NAME)

  t.match(await read(), new RegExp(`^${NAME} 0$`, 'm'), 'nothing queued: 0, not absent')
  const first = await queue.enqueue(newJob(1, { deadlineAt: now + 3_600_000 }))
  now += 30_000
  await queue.enqueue(newJob(2, { deadlineAt: now + 3_600_000 }))
  now += 60_000
  t.match(await read(), new RegExp(`^${NAME} 90$`, 'm'), 'the first job, accepted 90 s ago')

  const [claimed] = await queue.claimDue(now, 1)
  t.equal(claimed?.id, first.job.id)
  t.match(await read(), new RegExp(`^${NAME} 60$`, 'm'), 'while the first is delivered, the second is the oldest queued')
  await queue.markRetry(first.job.id, 'legacy answered 503', now + 600_000, now)
  now += 120_000
  t.match(await read(), new RegExp(`^${NAME} 210$`, 'm'), 'back to queued for a retry, it keeps its age')

  for (const job of await queue.claimDue(now + 600_000, 10)) await queue.markDelivered(job.id, done, now)
  t.match(await read(), new RegExp(`^${NAME} 0$`, 'm'), 'all delivered: 0')
})

t.test('the lookup seeks an index (no scan of the jobs)', async t => {
  const queue = new SqliteJobQueue({ dataDir: t.testdir(), maxQueuedJobs: 100 })
  t.teardown(() => queue.close())
  const plan = queue.db.prepare("EXPLAIN QUERY PLAN SELECT MIN(created_at) AS t FROM jobs WHERE state = 'queued'").all() as Array<{ detail: string }>
  const detail = plan.map(p => p.detail).join('; ')
  t.match(detail, /SEARCH jobs USING COVERING INDEX jobs_state_created/, detail)
  t.notMatch(detail, /SCAN/, 'no scan')
})
