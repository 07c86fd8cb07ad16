// Lua scripts of the Redis job queue for crash recovery and consumer bookkeeping: take back the
// entries of a restarted or dead consumer, keep a live one's entries from looking idle, forget a
// consumer that owns nothing. Key layout and the shared PRELUDE (P, S, jobKey, move, drop, ready):
// redis-job-scripts.ts, which prepends it.

/**
 * ARGV: P, group, consumer, now, mode, count[, minIdle, cursor]. Crash recovery: mode `own` takes
 * this consumer's pending entries (a restart under the same name), mode `stale` XAUTOCLAIMs those
 * of any consumer idle for minIdle ms (one that died mid-delivery). Each job still delivering
 * under such an entry goes back to queued, due now, no attempt counted; every entry is
 * acknowledged. → {requeued, entries seen, next cursor ('0-0' = done)}.
 */
export const RECOVER = `
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
export const HEARTBEAT = `
local group, consumer, mine = ARGV[2], ARGV[3], {}
for i = 4, #ARGV do
  local p = redis.call('XPENDING', S, group, ARGV[i], ARGV[i], 1)
  if p[1] and p[1][2] == consumer then mine[#mine + 1] = ARGV[i] end
end
if #mine > 0 then redis.call('XCLAIM', S, group, consumer, 0, unpack(mine)) end
return #mine
`

/** ARGV: P, group, consumer. Deletes the consumer only if it owns no pending entry (DELCONSUMER drops them). */
export const FORGET_CONSUMER = `
if #redis.call('XPENDING', S, ARGV[2], '-', '+', 1, ARGV[3]) > 0 then return 0 end
return redis.call('XGROUP', 'DELCONSUMER', S, ARGV[2], ARGV[3])
`
