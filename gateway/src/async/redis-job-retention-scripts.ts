// Lua scripts of the Redis job queue for housekeeping: purge dead jobs, the retention sweep of
// settled ones (with the backfill of the `settled` index), and the store's memory estimate. Key
// layout and the shared PRELUDE (P, S, jobKey, move, drop, ready): redis-job-scripts.ts, which
// prepends it.

/** ARGV: P, batch. Deletes up to `batch` dead jobs with their idempotency keys. → deleted count. */
export const PURGE_DEAD = `
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
export const SWEEP_SETTLED = `
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
export const RETENTION_INIT = `
if redis.call('EXISTS', P .. 'all') == 0 then redis.call('SET', P .. 'retention:backfill', 'done', 'NX') end
return 1
`

/**
 * ARGV: P, samples. Estimated memory of the queue's keys (bytes): MEMORY USAGE of the stream and
 * the sorted sets, plus the mean of `samples` random job hashes (with their idempotency keys)
 * times the job count.
 */
export const STORE_BYTES = `
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
