// The SQLite job queue meets the JobQueue contract (test/helpers/job-queue-contract.ts); "another
// consumer" is the queue reopened on the same data directory, as after a crash and restart.
import t from 'tap'
import { SqliteJobQueue } from '../../gateway/src/async/sqlite-job-queue.js'
import { jobQueueContract } from '../helpers/job-queue-contract.js'

jobQueueContract(t, async (t) => {
  const dataDir = t.testdir()
  return {
    open: async ({ maxQueuedJobs }) => {
      const queue = new SqliteJobQueue({ dataDir, maxQueuedJobs })
      t.teardown(() => queue.close())
      return queue
    }
  }
})
