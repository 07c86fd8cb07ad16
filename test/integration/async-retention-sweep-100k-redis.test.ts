// Retention on the Redis queue (shared Redis, own key prefix) with 100,000 settled jobs past
// retention (test/helpers/retention-load.ts; written in bulk, checked against the API's own keys):
// the sweep deletes exactly those, one short Lua script per step, without holding an intake for
// more than a few ms, and the memory goes with them.
import { redisTest } from '../helpers/redis-gate.js'
import { RedisJobQueue } from '../../gateway/src/async/redis-job-queue.js'
import { checkBulkMatchesApi, redisBulkFill } from '../helpers/retention-bulk.js'
import { retentionUnderLoad } from '../helpers/retention-load.js'
import { SHARED_REDIS_URL, testPrefix } from '../helpers/redis.js'

const INDEXES = ['all', 'settled', 'delayed', 'state:queued', 'state:delivering', 'state:delivered', 'state:failed', 'state:dead']

redisTest('100,000 settled jobs swept in small steps; intake latency barely moves; memory released', async t => {
  const q = await RedisJobQueue.open({ url: SHARED_REDIS_URL, keyPrefix: testPrefix(t), maxQueuedJobs: 1_000_000, commandTimeoutMs: 10_000 })
  t.teardown(() => q.close())
  const fill = redisBulkFill(q)
  await checkBulkMatchesApi(t, q, fill, async id => {
    const hash = await q.client.hgetall(`${q.prefix}job:${id}`)
    const scope = hash.idemScope ?? ''
    const member: Record<string, boolean> = {}
    for (const index of INDEXES) member[index] = await q.client.zscore(`${q.prefix}${index}`, id) !== null
    const entries = (await q.client.xrange(`${q.prefix}stream`, '-', '+')).filter(([, f]) => f[1] === id).length
    return { fields: Object.keys(hash).sort(), member, idem: await q.client.get(`${q.prefix}idem:${scope}`) === id, entries }
  })
  const report = await retentionUnderLoad(t, q, { fill })
  // Left: the 1,000 recent settled jobs and the open ones the intake made (~1.6 KB each).
  const left = Object.values(await q.counts()).reduce((a, b) => a + b, 0)
  const perJob = report.bytesFull / 101_000
  t.ok(report.bytesAfter <= 2 * left * perJob + 1_000_000,
    `queue memory ${report.bytesAfter} bytes after the sweep <= what ${left} jobs take (${Math.round(perJob)} B each when full, × 2 + 1 MB)`)
})
