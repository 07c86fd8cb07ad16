// The Lua scripts of the Redis job queue. Each state change is one script, so it is atomic:
// no other client sees a job half-moved between its hash, the state index and the stream.
// Key layout under the prefix P (ARGV[1]); keys are built inside the scripts, so on Redis
// Cluster the prefix must carry a hash tag (e.g. `{gw-jobs}:`) to keep them in one slot:
//   P stream          the stream of ready jobs (field `id`); consumer group = ARGV[2]
//   P delayed         ZSET id → nextAttemptAt of queued jobs waiting for a retry/backoff
//   P job:<id>        HASH of the job (state, request, attempts, result, `entry` = its stream entry)
//   P idem:<scope>    STRING → job id: the client's idempotency scope (SET NX)
//   P state:<state>   ZSET id → createdAt per state (counts, lists, the open-job limit)
//   P all             ZSET id → createdAt (newest-first listing)
//   P settled         ZSET id → finishedAt of delivered/failed jobs (the retention sweep's order)
//   P retention:backfill  progress of indexing jobs settled before `settled` existed ('done' when over)

/** Shared helpers, prepended to every script. */
const PRELUDE = `
local P = ARGV[1]
local S = P .. 'stream'
local function jobKey (id) return P .. 'job:' .. id end
local function move (id, from, to)
  local score = redis.call('ZSCORE', P .. 'state:' .. from, id)
  if not score then score = redis.call('ZSCORE', P .. 'all', id) or 0 end
  redis.call('ZREM', P .. 'state:' .. from, id)
  redis.call('ZADD', P .. 'state:' .. to, score, id)
end
local function drop (group, entry)
  if entry then
    redis.call('XACK', S, group, entry)
    redis.call('XDEL', S, entry)
  end
end
local function ready (id)
  local e = redis.call('XADD', S, '*', 'id', id)
  redis.call('HSET', jobKey(id), 'entry', e)
  return e
end
`

/** ARGV: P, max open jobs, id, scope ('' = none), now, field, value, … → {'created'} | {'existing', id} | {'full'}. */
const ENQUEUE = `
local max, id, scope, now = tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[5]
local idem = P .. 'idem:' .. scope
if scope ~= '' then
  local existing = redis.call('GET', idem)
  if existing then return {'existing', existing} end
end
if redis.call('ZCARD', P .. 'state:queued') + redis.call('ZCARD', P .. 'state:delivering') >= max then return {'full'} end
redis.call('HSET', jobKey(id), unpack(ARGV, 6))
if scope ~= '' then redis.call('SET', idem, id, 'NX') end
ready(id)
redis.call('ZADD', P .. 'state:queued', now, id)
redis.call('ZADD', P .. 'all', now, id)
return {'created'}
`

/**
 * ARGV: P, group, consumer, now, limit. Moves due delayed jobs into the stream, reads new entries
 * for this consumer and marks their jobs delivering. → array of HGETALL lists of claimed jobs.
 */
const CLAIM = `
local group, consumer, now, limit = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
for _, id in ipairs(redis.call('ZRANGEBYSCORE', P .. 'delayed', '-inf', now, 'LIMIT', 0, limit)) do
  redis.call('ZREM', P .. 'delayed', id)
  ready(id)
end
local out = {}
local res = redis.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', limit, 'STREAMS', S, '>')
if not res then return out end
for _, e in ipairs(res[1][2]) do
  local entry, id = e[1], e[2][2]
  local st = redis.call('HMGET', jobKey(id), 'state', 'entry')
  if st[1] == 'queued' and st[2] == entry then
    redis.call('HSET', jobKey(id), 'state', 'delivering', 'updatedAt', now)
    move(id, 'queued', 'delivering')
    out[#out + 1] = redis.call('HGETALL', jobKey(id))
  else
    drop(group, entry) -- a stale entry (job dead-lettered or purged meanwhile)
  end
end
return out
`

/** ARGV: P, group, id, state (delivered|failed), now, result JSON, lastError ('' = none) → 1 | 0. */
const FINISH = `
local group, id, state, now, result, err = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local st = redis.call('HMGET', jobKey(id), 'state', 'entry')
if st[1] ~= 'delivering' then return 0 end
drop(group, st[2])
redis.call('HINCRBY', jobKey(id), 'attempts', 1)
redis.call('HSET', jobKey(id), 'state', state, 'updatedAt', now, 'finishedAt', now, 'result', result)
if err == '' then redis.call('HDEL', jobKey(id), 'lastError', 'entry') else
  redis.call('HSET', jobKey(id), 'lastError', err)
  redis.call('HDEL', jobKey(id), 'entry')
end
move(id, 'delivering', state)
redis.call('ZADD', P .. 'settled', now, id)
return 1
`

/**
 * ARGV: P, group, id, now, nextAttemptAt, error ('' = keep the last one), count (1 = an attempt).
 * A delivering job back to queued: into the stream when due, else into the delayed set. → 1 | 0.
 */
const REQUEUE = `
local group, id, now, at, err, count = ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6], ARGV[7]
local st = redis.call('HMGET', jobKey(id), 'state', 'entry')
if st[1] ~= 'delivering' then return 0 end
drop(group, st[2])
if count == '1' then redis.call('HINCRBY', jobKey(id), 'attempts', 1) end
if err ~= '' then redis.call('HSET', jobKey(id), 'lastError', err) end
redis.call('HSET', jobKey(id), 'state', 'queued', 'nextAttemptAt', ARGV[5], 'updatedAt', ARGV[4])
redis.call('HDEL', jobKey(id), 'entry')
if at <= now then ready(id) else redis.call('ZADD', P .. 'delayed', ARGV[5], id) end
move(id, 'delivering', 'queued')
return 1
`

/** ARGV: P, group, id, now, error. A queued or delivering job to dead. → 1 | 0. */
const DEAD = `
local group, id, now, err = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local st = redis.call('HMGET', jobKey(id), 'state', 'entry')
if st[1] ~= 'queued' and st[1] ~= 'delivering' then return 0 end
drop(group, st[2])
redis.call('ZREM', P .. 'delayed', id)
redis.call('HSET', jobKey(id), 'state', 'dead', 'lastError', err, 'updatedAt', now, 'finishedAt', now)
redis.call('HDEL', jobKey(id), 'entry')
move(id, st[1], 'dead')
return 1
`

/** ARGV: P, id, now. An operator's replay of a dead or failed job, fresh attempts and deadline. → 1 | 0. */
const REPLAY = `
local id, now = ARGV[2], tonumber(ARGV[3])
local st = redis.call('HMGET', jobKey(id), 'state', 'createdAt', 'deadlineAt')
if st[1] ~= 'dead' and st[1] ~= 'failed' then return 0 end
local deadline = string.format('%d', now + math.max(0, tonumber(st[3]) - tonumber(st[2])))
redis.call('HSET', jobKey(id), 'state', 'queued', 'attempts', 0, 'nextAttemptAt', ARGV[3], 'deadlineAt', deadline, 'updatedAt', ARGV[3])
redis.call('HDEL', jobKey(id), 'finishedAt')
redis.call('ZREM', P .. 'settled', id)
ready(id)
move(id, st[1], 'queued')
return 1
`

/**
 * ARGV: P, group, consumer, now, mode, count[, minIdle, cursor]. Crash recovery: mode `own` takes
 * this consumer's pending entries (a restart under the same name), mode `stale` XAUTOCLAIMs those
 * of any consumer idle for minIdle ms (one that died mid-delivery). Each job still delivering
 * under such an entry goes back to queued, due now, no attempt counted; every entry is
 * acknowledged. → {requeued, entries seen, next cursor ('0-0' = done)}.
 */
const RECOVER = `
local group, consumer, now, mode, count = ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
local entries, cursor = {}, '0-0'
if mode == 'own' then
  for _, p in ipairs(redis.call('XPENDING', S, group, '-', '+', count, consumer)) do entries[#entries + 1] = p[1] end
else
  local r = redis.call('XAUTOCLAIM', S, group, consumer, ARGV[7], ARGV[8], 'COUNT', count, 'JUSTID')
  cursor, entries = r[1], r[2]
end
local n = 0
for _, entry in ipairs(entries) do
  local x = redis.call('XRANGE', S, entry, entry)
  drop(group, entry)
  if x[1] then
    local id = x[1][2][2]
    local st = redis.call('HMGET', jobKey(id), 'state', 'entry')
    if st[1] == 'delivering' and st[2] == entry then
      redis.call('HSET', jobKey(id), 'state', 'queued', 'nextAttemptAt', now, 'updatedAt', now)
      ready(id)
      move(id, 'delivering', 'queued')
      n = n + 1
    end
  end
end
return {n, #entries, cursor}
`

/** ARGV: P, group, consumer, entry, … Resets the idle time of entries this consumer still owns. */
const HEARTBEAT = `
local group, consumer, mine = ARGV[2], ARGV[3], {}
for i = 4, #ARGV do
  local p = redis.call('XPENDING', S, group, ARGV[i], ARGV[i], 1)
  if p[1] and p[1][2] == consumer then mine[#mine + 1] = ARGV[i] end
end
if #mine > 0 then redis.call('XCLAIM', S, group, consumer, 0, unpack(mine)) end
return #mine
`

/** ARGV: P, group, consumer. Deletes the consumer only if it owns no pending entry (DELCONSUMER drops them). */
const FORGET_CONSUMER = `
if #redis.call('XPENDING', S, ARGV[2], '-', '+', 1, ARGV[3]) > 0 then return 0 end
return redis.call('XGROUP', 'DELCONSUMER', S, ARGV[2], ARGV[3])
`

/** ARGV: P, batch. Deletes up to `batch` dead jobs with their idempotency keys. → deleted count. */
const PURGE_DEAD = `
local ids = redis.call('ZRANGE', P .. 'state:dead', 0, tonumber(ARGV[2]) - 1)
for _, id in ipairs(ids) do
  local scope = redis.call('HGET', jobKey(id), 'idemScope')
  if scope and redis.call('GET', P .. 'idem:' .. scope) == id then redis.call('DEL', P .. 'idem:' .. scope) end
  redis.call('DEL', jobKey(id))
  redis.call('ZREM', P .. 'state:dead', id)
  redis.call('ZREM', P .. 'all', id)
end
return #ids
`

/**
 * ARGV: P, group, settledBefore, batch. Retention: deletes up to `batch` delivered/failed jobs
 * settled at or before settledBefore — hash, idempotency key (if still its own), stream entry (if
 * any), index entries — all in this one script. A stale index entry (the job was replayed) is
 * only dropped. Calls are variadic per batch (unpack: keep batch <= 1000). First, one step of indexing jobs settled before the `settled` set existed
 * (ZSCAN of the state sets, cursor kept in P retention:backfill). → deleted count.
 */
const SWEEP_SETTLED = `
local group, before, batch = ARGV[2], ARGV[3], tonumber(ARGV[4])
local progress = redis.call('GET', P .. 'retention:backfill') or '1:0'
if progress ~= 'done' then
  local states = {'delivered', 'failed'}
  local i, cursor = string.match(progress, '^(%d):(%d+)$')
  i = tonumber(i)
  local r = redis.call('ZSCAN', P .. 'state:' .. states[i], cursor, 'COUNT', batch)
  for k = 1, #r[2], 2 do
    local at = redis.call('HGET', jobKey(r[2][k]), 'finishedAt')
    if at then redis.call('ZADD', P .. 'settled', 'NX', at, r[2][k]) end
  end
  if r[1] ~= '0' then progress = i .. ':' .. r[1] elseif i == 1 then progress = '2:0' else progress = 'done' end
  redis.call('SET', P .. 'retention:backfill', progress)
end
local ids = redis.call('ZRANGEBYSCORE', P .. 'settled', '-inf', before, 'LIMIT', 0, batch)
if #ids == 0 then return 0 end
-- Variadic DEL/ZREM/XDEL once per batch: a few calls per job instead of one per key.
local keys, gone, entries = {}, {}, {}
for _, id in ipairs(ids) do
  local st = redis.call('HMGET', jobKey(id), 'state', 'idemScope', 'entry')
  if st[1] == 'delivered' or st[1] == 'failed' then
    gone[#gone + 1] = id
    keys[#keys + 1] = jobKey(id)
    if st[2] and redis.call('GET', P .. 'idem:' .. st[2]) == id then keys[#keys + 1] = P .. 'idem:' .. st[2] end
    if st[3] then entries[#entries + 1] = st[3] end
  end
end
redis.call('ZREM', P .. 'settled', unpack(ids))
if #gone == 0 then return 0 end
redis.call('DEL', unpack(keys))
for _, index in ipairs({'state:delivered', 'state:failed', 'all', 'delayed'}) do redis.call('ZREM', P .. index, unpack(gone)) end
if #entries > 0 then
  redis.call('XACK', S, group, unpack(entries))
  redis.call('XDEL', S, unpack(entries))
end
return #gone
`

/** ARGV: P. A queue with no job yet has nothing settled to index: mark the backfill done. */
const RETENTION_INIT = `
if redis.call('EXISTS', P .. 'all') == 0 then redis.call('SET', P .. 'retention:backfill', 'done', 'NX') end
return 1
`

/**
 * ARGV: P, samples. Estimated memory of the queue's keys (bytes): MEMORY USAGE of the stream and
 * the sorted sets, plus the mean of `samples` random job hashes (with their idempotency keys)
 * times the job count.
 */
const STORE_BYTES = `
local function usage (key) return redis.call('MEMORY', 'USAGE', key) or 0 end
local total = 0
for _, k in ipairs({'stream', 'delayed', 'all', 'settled', 'state:queued', 'state:delivering', 'state:delivered', 'state:failed', 'state:dead'}) do
  total = total + usage(P .. k)
end
local jobs = redis.call('ZCARD', P .. 'all')
local ids = jobs > 0 and redis.call('ZRANDMEMBER', P .. 'all', tonumber(ARGV[2])) or {}
if #ids > 0 then
  local sum = 0
  for _, id in ipairs(ids) do
    sum = sum + usage(jobKey(id))
    local scope = redis.call('HGET', jobKey(id), 'idemScope')
    if scope then sum = sum + usage(P .. 'idem:' .. scope) end
  end
  total = total + sum / #ids * jobs
end
return math.floor(total)
`

/** ARGV: P. → {ready jobs in the stream, earliest delayed nextAttemptAt or ''}. */
const NEXT_DUE = `
local delayed = redis.call('ZCARD', P .. 'delayed')
local ready = redis.call('ZCARD', P .. 'state:queued') - delayed
local first = redis.call('ZRANGE', P .. 'delayed', 0, 0, 'WITHSCORES')
return {ready, first[2] or ''}
`

export const JOB_SCRIPTS = {
  gwJobEnqueue: ENQUEUE,
  gwJobClaim: CLAIM,
  gwJobFinish: FINISH,
  gwJobRequeue: REQUEUE,
  gwJobDead: DEAD,
  gwJobReplay: REPLAY,
  gwJobRecover: RECOVER,
  gwJobHeartbeat: HEARTBEAT,
  gwJobPurgeDead: PURGE_DEAD,
  gwJobSweepSettled: SWEEP_SETTLED,
  gwJobRetentionInit: RETENTION_INIT,
  gwJobStoreBytes: STORE_BYTES,
  gwJobForgetConsumer: FORGET_CONSUMER,
  gwJobNextDue: NEXT_DUE
} as const

export type JobScriptName = keyof typeof JOB_SCRIPTS

export function scriptSource (name: JobScriptName): string {
  return PRELUDE + JOB_SCRIPTS[name]
}
