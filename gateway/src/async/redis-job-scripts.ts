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
// This file holds a job's life-cycle scripts; recovery and housekeeping have their own files.
import type { Redis } from 'ioredis'
import { FORGET_CONSUMER, HEARTBEAT, RECOVER } from './redis-job-recovery-scripts.js'
import { PURGE_DEAD, RETENTION_INIT, STORE_BYTES, SWEEP_SETTLED } from './redis-job-retention-scripts.js'

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

export type ScriptFn = (...args: Array<string | number | Buffer>) => Promise<unknown>

/** Defines every script on the client (ioredis EVALSHA with a fallback to EVAL). */
export function defineJobScripts (client: Redis): void {
  for (const name of Object.keys(JOB_SCRIPTS) as JobScriptName[]) {
    client.defineCommand(name, { numberOfKeys: 0, lua: scriptSource(name) })
  }
}

/** A defined script as a function; `buffers` returns bulk strings as Buffers (job bodies). */
export function jobScript (client: Redis, name: JobScriptName, buffers = false): ScriptFn {
  const fn = (client as unknown as Record<string, ScriptFn>)[buffers ? `${name}Buffer` : name]!
  return fn.bind(client)
}
