// Bulk writers of settled jobs for the 100,000-job retention tests: the store's API costs three
// round trips per job (enqueue, claim, deliver), too slow for 100,000 on a shared 2-core box, so
// these write what that path leaves behind — one INSERT … SELECT (SQLite), a Lua script per 500
// jobs (Redis). `checkBulkMatchesApi` proves they do: a job settled through the API and a bulk one must
// look the same to the store (columns set, hash fields, index memberships), so the sweep is tested
// on the data the product writes.
import type { Test } from 'tap'
import type { JobQueue } from '../../gateway/src/async/job-queue.port.js'
import type { RedisJobQueue } from '../../gateway/src/async/redis-job-queue.js'
import { newJobFields } from '../../gateway/src/async/redis-job-fields.js'
import type { SqliteJobQueue } from '../../gateway/src/async/sqlite-job-queue.js'
import { newJob } from './job-queue-contract.js'
import type { Fill } from './retention-load.js'
import { settleMany, settledResult } from './retention-load.js'

export function sqliteBulkFill (q: SqliteJobQueue): Fill {
  const insert = q.db.prepare(`WITH RECURSIVE n(i) AS (SELECT @from UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @from + @count)
    INSERT INTO jobs (id, route_id, state, method, target, headers, body, idem_scope, fingerprint, delivery_key, attempts,
      max_attempts, backoff_base_ms, backoff_max_ms, deadline_at, next_attempt_at, created_at, updated_at, finished_at,
      last_error, result_status, result_headers, result_body, result_truncated)
    SELECT 'bulk' || printf('%018d', i), 'billings.create', 'delivered', 'POST', '/api/Billings?i=' || i, @headers, @body,
      'load-' || i, 'fp-' || i, 'bulk' || printf('%018d', i), 1, 3, 100, 1000, @at + 60000, @at, @at, @at, @at,
      NULL, @status, @resultHeaders, @resultBody, 0 FROM n`)
  return async (_q, count, at, from) => {
    const job = newJob(from)
    insert.run({
      from,
      count,
      at,
      headers: JSON.stringify(job.headers),
      body: job.body,
      status: settledResult.status,
      resultHeaders: JSON.stringify(settledResult.headers),
      resultBody: settledResult.body
    })
    // One INSERT of 100,000 rows leaves a WAL of the same size; checkpoint it here, or the first
    // commit after it (an intake being measured) pays for copying it into the file.
    q.db.pragma('wal_checkpoint(TRUNCATE)')
  }
}

// One script per 500 jobs: HSET of the fields newJobFields writes, as FINISH leaves them (state,
// attempts, finishedAt, result; no stream entry), the idempotency key and the three indexes.
const REDIS_BULK = `
local P, from, count, at, result = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], ARGV[5]
for i = from, from + count - 1 do
  local id = string.format('bulk%018d', i)
  local scope = 'load-' .. i
  local fields = {}
  for k = 6, #ARGV, 2 do
    local name, value = ARGV[k], ARGV[k + 1]
    if name == 'id' or name == 'deliveryKey' then value = id elseif name == 'idemScope' then value = scope end
    fields[#fields + 1] = name
    fields[#fields + 1] = value
  end
  redis.call('HSET', P .. 'job:' .. id, unpack(fields))
  redis.call('HSET', P .. 'job:' .. id, 'state', 'delivered', 'attempts', '1', 'finishedAt', at, 'result', result)
  redis.call('SET', P .. 'idem:' .. scope, id)
  redis.call('ZADD', P .. 'all', at, id)
  redis.call('ZADD', P .. 'state:delivered', at, id)
  redis.call('ZADD', P .. 'settled', at, id)
end
return count
`

export function redisBulkFill (q: RedisJobQueue): Fill {
  return async (_q, count, at, from) => {
    const template = newJobFields('template', newJob(from, { idempotencyScope: 'template' }), at)
    for (let done = 0; done < count; done += 500) {
      await q.client.eval(REDIS_BULK, 0, q.prefix, from + done, Math.min(500, count - done), at, JSON.stringify(settledResult), ...template)
    }
  }
}

/** One job through the API and one bulk job, settled at the same time: the store must hold them alike. */
export async function checkBulkMatchesApi (t: Test, q: JobQueue, fill: Fill, shape: (id: string) => Promise<unknown>): Promise<void> {
  const at = Date.now() - 1000
  await settleMany(q, 1, at, 900_000)
  const [api] = await q.list({ state: 'delivered', limit: 1 })
  await fill(q, 1, at, 900_001)
  const bulk = (await q.list({ state: 'delivered', limit: 2 })).find(j => j.id !== api!.id)!
  t.match(bulk, { state: 'delivered', attempts: 1, finishedAt: at, result: settledResult, lastError: null }, 'a bulk job reads back like a delivered one')
  t.match(api, { state: 'delivered', attempts: 1, finishedAt: at, result: settledResult, lastError: null })
  t.same(await shape(bulk.id), await shape(api!.id), 'the bulk writer stores what the API stores')
  t.equal(await q.sweepSettled(at, 10), 2, 'both swept alike')
}
