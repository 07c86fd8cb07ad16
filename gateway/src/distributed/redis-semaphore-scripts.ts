// The semaphore's Lua scripts (redis-semaphore.ts): a permit is a lease in a sorted set,
// member = lease id, score = expiry ms by Redis TIME, so every replica judges expiry by one clock.
import type { Redis } from 'ioredis'

const NOW = "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) "
// KEYS[1] zset; ARGV limit, ttlMs, leaseId -> 1 granted, 0 full
const ACQUIRE = NOW + `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], 2 * tonumber(ARGV[2]))
  return 1
end
return 0`
// KEYS[1] zset; ARGV ttlMs, leaseIds... -> leases still held (an expired one is not revived)
const RENEW = NOW + `
local kept = 0
for i = 2, #ARGV do
  local s = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if s and tonumber(s) > now then
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i])
    kept = kept + 1
  end
end
redis.call('PEXPIRE', KEYS[1], 2 * tonumber(ARGV[1]))
return kept`
// KEYS[1] zset -> live leases of all replicas
const COUNT = NOW + "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now) return redis.call('ZCARD', KEYS[1])"

export interface SemCommands {
  gwSemAcquire: (key: string, limit: number, ttlMs: number, id: string) => Promise<number>
  gwSemRenew: (key: string, ttlMs: number, ...ids: string[]) => Promise<number>
  gwSemCount: (key: string) => Promise<number>
}

export function defineSemaphoreScripts (client: Redis): Redis & SemCommands {
  const c = client as Redis & Partial<SemCommands>
  if (c.gwSemAcquire === undefined) {
    client.defineCommand('gwSemAcquire', { numberOfKeys: 1, lua: ACQUIRE })
    client.defineCommand('gwSemRenew', { numberOfKeys: 1, lua: RENEW })
    client.defineCommand('gwSemCount', { numberOfKeys: 1, lua: COUNT })
  }
  return c as Redis & SemCommands
}
