// The deferred queue (Redis not reachable yet) and retention: before the queue opens a sweep finds
// nothing to do (like the worker's poll) and the store size is a typed 503 the metrics scrape
// skips; once open, both go to the opened queue.
import t from 'tap'
import { DeferredJobQueue } from '../../gateway/src/async/deferred-job-queue.js'
import { SqliteJobQueue } from '../../gateway/src/async/sqlite-job-queue.js'
import { newJob } from '../helpers/job-queue-contract.js'

t.test('sweepSettled and storeBytes before and after the queue opens', async t => {
  const dataDir = t.testdir()
  let attempts = 0
  const deferred = new DeferredJobQueue({
    retryMs: 10,
    open: async () => {
      if (++attempts === 1) throw new Error('connect ECONNREFUSED')
      return new SqliteJobQueue({ dataDir, maxQueuedJobs: 10 })
    }
  })
  t.teardown(() => deferred.close())
  await deferred.firstAttempt()
  t.equal(await deferred.sweepSettled(Date.now(), 10), 0, 'nothing to sweep without a queue')
  await t.rejects(deferred.storeBytes(), { code: 'GW_ERR_ASYNC_QUEUE_WRITE' })

  const deadline = Date.now() + 5000
  while (deferred.current === undefined && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 10))
  t.ok(deferred.current, 'opened on the retry')
  const { job } = await deferred.enqueue(newJob(1))
  await deferred.claimDue(Date.now(), 1)
  await deferred.markDelivered(job.id, { status: 201, headers: {}, body: '', truncated: false }, 1000)
  t.equal(await deferred.sweepSettled(2000, 10), 1, 'swept through the opened queue')
  t.equal(await deferred.get(job.id), undefined)
  t.ok(await deferred.storeBytes() > 0)
})
