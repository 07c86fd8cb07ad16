// What the Redis job queue makes sure of on the server: its consumer group exists (again, after a
// Redis restart without persistence or a flush), and what the server says about persistence, with
// a warning where acknowledged jobs could be lost.
import type { Redis } from 'ioredis'

/** What the server said about persistence at open (CONFIG GET; `unknown` where CONFIG is refused). */
export interface RedisDurability { appendonly: string, appendfsync: string, maxmemoryPolicy: string }

export const UNKNOWN_DURABILITY: RedisDurability = { appendonly: 'unknown', appendfsync: 'unknown', maxmemoryPolicy: 'unknown' }

export async function ensureGroup (client: Redis, prefix: string, group: string): Promise<void> {
  try {
    // From '0': entries XADDed before the group existed (e.g. after a Redis restart) are delivered too.
    await client.xgroup('CREATE', `${prefix}stream`, group, '0', 'MKSTREAM')
  } catch (err) {
    if (!String((err as Error).message).includes('BUSYGROUP')) throw err
  }
}

export async function probeDurability (client: Redis, logger: { warn: (obj: object, msg: string) => void } | undefined): Promise<RedisDurability> {
  const get = async (name: string): Promise<string> => {
    try {
      const r = await client.config('GET', name) as string[]
      return r[1] ?? 'unknown'
    } catch { return 'unknown' } // managed services often refuse CONFIG
  }
  const d = { appendonly: await get('appendonly'), appendfsync: await get('appendfsync'), maxmemoryPolicy: await get('maxmemory-policy') }
  if (d.appendonly === 'no') {
    logger?.warn({ durability: d }, 'async: Redis has appendonly off: a Redis restart loses acknowledged jobs (docs/async.md "Redis queue")')
  }
  if (d.maxmemoryPolicy !== 'noeviction' && d.maxmemoryPolicy !== 'unknown') {
    logger?.warn({ durability: d }, 'async: Redis may evict keys (maxmemory-policy is not noeviction): jobs could vanish')
  }
  return d
}
