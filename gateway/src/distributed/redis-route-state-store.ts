// The route runtime state (ops/route-state-store.ts StateStore) in Redis, shared by replicas.
// Layout under the key prefix: `state:routes` hash routeId -> overrides JSON, `state:meta` hash
// {firstStartedAt, version}, `state:lasthit:routes|functions` hashes name -> epoch ms.
// A save writes only what changed since the state this replica last saw (so a replica's
// periodic last-hit flush never overwrites another replica's flip), bumps `version` and
// publishes it; every replica re-reads the whole state on that message and again after each
// (re)connect of its subscriber, so a message missed during a disconnect (or while Redis was
// unreachable at start) is reconciled.
// Last-hit times merge by maximum. Saves need Redis: a failed save fails the admin change
// (GW_ERR_STATE_WRITE) and nothing is applied.
import type { Redis } from 'ioredis'
import { StateWriteError } from '../errors.js'
import type { PersistedState, RouteOverrides } from '../ops/route-state.js'
import { createListeners } from '../ops/route-state-store.js'
import type { StateStore } from '../ops/route-state-store.js'

// KEYS routes, meta, lhRoutes, lhFunctions, channel; ARGV firstStartedAt, nSet, nDel, nLhR,
// then set pairs, del ids, last-hit route pairs, last-hit function pairs.
const SAVE = `
redis.call('HSETNX', KEYS[2], 'firstStartedAt', ARGV[1])
local nSet, nDel, nLhR = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local i = 5
for _ = 1, nSet do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]); i = i + 2 end
for _ = 1, nDel do redis.call('HDEL', KEYS[1], ARGV[i]); i = i + 1 end
local function maxin (key, field, v)
  local cur = tonumber(redis.call('HGET', key, field))
  if cur == nil or cur < tonumber(v) then redis.call('HSET', key, field, v) end
end
for _ = 1, nLhR do maxin(KEYS[3], ARGV[i], ARGV[i + 1]); i = i + 2 end
while i < #ARGV do maxin(KEYS[4], ARGV[i], ARGV[i + 1]); i = i + 2 end
if nSet + nDel > 0 then
  local v = redis.call('HINCRBY', KEYS[2], 'version', 1)
  redis.call('PUBLISH', KEYS[5], v)
  return v
end
return tonumber(redis.call('HGET', KEYS[2], 'version') or '0')
`

interface WithSave { gwSaveState: (...args: Array<string | number>) => Promise<number> }

export interface RedisStateStoreOptions {
  client: Redis
  /** A connection for SUBSCRIBE (cannot run other commands); shared with other stores is fine. */
  subscriber: Redis
  keyPrefix: string
  /** A re-read after a message or reconnect failed (it is retried on the next one); log it. */
  onSyncError?: (err: unknown) => void
}

export interface RedisStateStore extends StateStore {
  /** Version of the shared state this replica last saw. */
  readonly version: number
  /** Re-reads the full state and tells the listeners (done on every message and reconnect). */
  reconcile: () => Promise<void>
  close: () => void
}

const num = (v: string | undefined): number => Number(v ?? 0)

export function createRedisStateStore (options: RedisStateStoreOptions): RedisStateStore {
  const { client, subscriber, keyPrefix: p } = options
  const keys = { routes: `${p}state:routes`, meta: `${p}state:meta`, lhRoutes: `${p}state:lasthit:routes`, lhFunctions: `${p}state:lasthit:functions`, channel: `${p}state:changed` }
  if ((client as Partial<WithSave>).gwSaveState === undefined) client.defineCommand('gwSaveState', { numberOfKeys: 5, lua: SAVE })
  const c = client as Redis & WithSave
  const listeners = createListeners()
  // What this replica last saw of the shared overrides: the base a save is diffed against.
  let seen: Record<string, string> = {}
  let version = 0

  async function read (): Promise<PersistedState | undefined> {
    const res = await client.multi().hgetall(keys.routes).hgetall(keys.meta).hgetall(keys.lhRoutes).hgetall(keys.lhFunctions).exec()
    if (res === null) throw new Error('redis transaction aborted')
    for (const [err] of res) if (err) throw err
    const [routes, meta, lhR, lhF] = res.map(r => r[1] as Record<string, string>) as [Record<string, string>, Record<string, string>, Record<string, string>, Record<string, string>]
    seen = routes
    version = num(meta.version)
    if (meta.firstStartedAt === undefined && Object.keys(routes).length === 0) return undefined
    const parsed: Record<string, RouteOverrides> = {}
    for (const [id, json] of Object.entries(routes)) parsed[id] = JSON.parse(json) as RouteOverrides
    const toNums = (h: Record<string, string>): Record<string, number> => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Number(v)]))
    return { version: 1, firstStartedAt: num(meta.firstStartedAt), routes: parsed, lastHit: { routes: toNums(lhR), functions: toNums(lhF) } }
  }

  async function reconcile (): Promise<void> {
    try {
      const state = await read()
      if (state !== undefined) listeners.emit(state)
    } catch (err) {
      options.onSyncError?.(err)
    }
  }

  const onMessage = (channel: string, message: string): void => {
    if (channel === keys.channel && Number(message) > version) reconcile().catch(() => {})
  }
  // A SUBSCRIBE sent while disconnected fails (no offline queue) and ioredis only resubscribes
  // channels it once subscribed; so subscribe on every 'ready' (idempotent in Redis), then read:
  // a change published between the two is caught by the read, none is lost.
  const subscribe = (): Promise<unknown> => subscriber.subscribe(keys.channel)
  const onReady = (): void => {
    subscribe().catch(err => options.onSyncError?.(err)).finally(() => { reconcile().catch(() => {}) })
  }
  subscriber.on('message', onMessage)
  subscriber.on('ready', onReady)
  if (subscriber.status === 'ready') subscribe().catch(err => options.onSyncError?.(err))

  return {
    get version () { return version },
    load: read,
    reconcile,
    async save (state) {
      const next: Record<string, string> = {}
      for (const [id, o] of Object.entries(state.routes)) next[id] = JSON.stringify(o)
      const set = Object.entries(next).filter(([id, json]) => seen[id] !== json)
      const del = Object.keys(seen).filter(id => next[id] === undefined)
      const lhR = Object.entries(state.lastHit.routes)
      const args: Array<string | number> = [keys.routes, keys.meta, keys.lhRoutes, keys.lhFunctions, keys.channel,
        state.firstStartedAt, set.length, del.length, lhR.length, ...set.flat(), ...del, ...lhR.flat(),
        ...Object.entries(state.lastHit.functions).flat()]
      let v: number
      try {
        v = await c.gwSaveState(...args)
      } catch (err) {
        throw Object.assign(new StateWriteError(`redis ${keys.routes}`, (err as Error).message), { cause: err })
      }
      seen = next
      version = Math.max(version, Number(v))
      listeners.emit(structuredClone(state))
    },
    onChange: listeners.add,
    close () {
      subscriber.off('message', onMessage)
      subscriber.off('ready', onReady)
      subscriber.unsubscribe(keys.channel).catch(() => {})
    }
  }
}
