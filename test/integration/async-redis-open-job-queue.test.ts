// openJobQueue picks the store: SQLite under dataDir without a Redis URL (also for an empty
// REDIS_URL), the Redis stream with one — reading the server's persistence settings — and it
// rejects when Redis cannot be reached instead of pretending to have a durable queue.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { redisTest } from '../helpers/redis-gate.js'
import { openJobQueue } from '../../gateway/src/async/open-job-queue.js'
import { RedisJobQueue } from '../../gateway/src/async/redis-job-queue.js'
import { SqliteJobQueue } from '../../gateway/src/async/sqlite-job-queue.js'
import { newJob } from '../helpers/job-queue-contract.js'
import { SHARED_REDIS_URL, testPrefix } from '../helpers/redis.js'

redisTest('no Redis URL (or an empty one) → SQLite in dataDir', async t => {
  for (const redisUrl of [undefined, '']) {
    const dataDir = join(t.testdir(), 'q')
    const queue = await openJobQueue({ ...(redisUrl === undefined ? {} : { redisUrl }), dataDir, maxQueuedJobs: 10 })
    t.teardown(() => queue.close())
    t.ok(queue instanceof SqliteJobQueue)
    t.equal((await queue.enqueue(newJob(1))).kind, 'created')
    t.ok(existsSync(join(dataDir, 'jobs.db')), 'the file is where the config says')
  }
})

redisTest('a Redis URL → the Redis stream queue, durability settings read', async t => {
  const keyPrefix = testPrefix(t)
  const warnings: string[] = []
  const queue = await openJobQueue({
    redisUrl: SHARED_REDIS_URL,
    dataDir: join(t.testdir(), 'unused'),
    maxQueuedJobs: 10,
    keyPrefix,
    logger: { warn: (_o, msg) => { warnings.push(msg) } }
  })
  t.teardown(() => queue.close())
  t.ok(queue instanceof RedisJobQueue)
  const redis = queue as RedisJobQueue
  t.match(redis.durability, { appendonly: /^(yes|no|unknown)$/, appendfsync: /^(always|everysec|no|unknown)$/ })
  t.equal(warnings.some(w => /appendonly off/.test(w)), redis.durability.appendonly === 'no', 'warns exactly when AOF is off')
  const r = await queue.enqueue(newJob(1))
  t.equal(r.kind, 'created')
  t.equal(await redis.client.exists(`${keyPrefix}job:${r.job.id}`), 1, 'stored under the prefix')
  t.notOk(existsSync(join(t.testdir(), 'unused', 'jobs.db')), 'no SQLite file')
})

redisTest('Redis unreachable at start → rejects', async t => {
  await t.rejects(openJobQueue({ redisUrl: 'redis://127.0.0.1:1', dataDir: t.testdir(), maxQueuedJobs: 10 }))
})
