// The Redis job queue meets the JobQueue contract (test/helpers/job-queue-contract.ts) on the
// shared Redis, one key prefix per test; each open() is another consumer (replica) of the group,
// and a consumer's claim is taken over after 300 ms without a heartbeat.
import t from 'tap'
import { RedisJobQueue } from '../../gateway/src/async/redis-job-queue.js'
import { jobQueueContract } from '../helpers/job-queue-contract.js'
import { SHARED_REDIS_URL, testPrefix } from '../helpers/redis.js'
import { redisSkip } from '../helpers/redis-gate.js'

// The contract registers its tests on the top-level t; without Redis one skipped test says why.
if (redisSkip !== false) {
  t.test('the Redis job queue keeps the JobQueue contract', { skip: redisSkip }, () => {})
} else {
  jobQueueContract(t, async (t) => {
    const keyPrefix = testPrefix(t)
    return {
      open: async ({ maxQueuedJobs }) => {
        const queue = await RedisJobQueue.open({ url: SHARED_REDIS_URL, keyPrefix, maxQueuedJobs, claimIdleMs: 300 })
        t.teardown(() => queue.close())
        return queue
      }
    }
  })
}
