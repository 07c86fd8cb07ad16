// Shadow mismatch samples (shadow/mismatch-store.ts) shared by the replicas through Redis, so
// GET /admin/routes/:id/diffs on any replica can show what every replica saw. It IS a
// MismatchStore (same sanitising: URL, body and diff caps, secrets redacted — done by the base
// class before anything leaves the process) that also pushes each sanitised record to Redis:
// one list per route, newest first, trimmed to `perRoute` (LPUSH + LTRIM in one script), with
// the routes in a sorted set by last write so at most `maxRoutes` lists exist (the oldest route's
// list is dropped). Writes are fire-and-forget after the client's answer; a failed write is
// counted and the sample stays in this replica's own list, which `list()` still returns.
// Layout: `<prefix>shadow:mm:<routeId>` list, `<prefix>shadow:mm:routes` zset.
import type { Redis } from 'ioredis'
import { MismatchStore } from '../shadow/mismatch-store.js'
import type { MismatchRecord, MismatchStoreOptions } from '../shadow/mismatch-store.js'

// KEYS[1] the route's list, KEYS[2] the routes zset; ARGV record JSON, perRoute, maxRoutes,
// routeId, ttlMs, list key prefix. Evicted routes' lists are named from the prefix (not in KEYS:
// fine on one Redis; Redis Cluster is not supported by distributed mode anyway).
const ADD = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[5]))
redis.call('ZADD', KEYS[2], now, ARGV[4])
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[5]))
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[3])
if over > 0 then
  local gone = redis.call('ZRANGE', KEYS[2], 0, over - 1)
  for _, id in ipairs(gone) do
    redis.call('DEL', ARGV[6] .. id)
    redis.call('ZREM', KEYS[2], id)
  end
end
return redis.call('LLEN', KEYS[1])
`

interface WithAdd { gwMismatchAdd: (list: string, routes: string, json: string, perRoute: number, maxRoutes: number, routeId: string, ttlMs: number, listPrefix: string) => Promise<number> }

export interface RedisMismatchStoreOptions extends MismatchStoreOptions {
  /** Not the request-path connection: open-distributed's `stateClient` (1 s budget). */
  client: Redis
  /** `distributed.keyPrefix`. */
  keyPrefix: string
  /** Lists and the route index expire this long after their last write. Default 7 days. */
  ttlMs?: number
  /** A write or read failed (logged by the caller; never thrown on the request path). */
  onError?: (err: unknown) => void
}

export class RedisMismatchStore extends MismatchStore {
  readonly #client: Redis & WithAdd
  readonly #listPrefix: string
  readonly #routesKey: string
  readonly #perRoute: number
  readonly #maxRoutes: number
  readonly #ttlMs: number
  readonly #onError: ((err: unknown) => void) | undefined
  #failedWrites = 0
  #pending = new Set<Promise<unknown>>()

  constructor (o: RedisMismatchStoreOptions) {
    super(o)
    if ((o.client as Partial<WithAdd>).gwMismatchAdd === undefined) o.client.defineCommand('gwMismatchAdd', { numberOfKeys: 2, lua: ADD })
    this.#client = o.client as Redis & WithAdd
    this.#listPrefix = `${o.keyPrefix}shadow:mm:`
    this.#routesKey = `${o.keyPrefix}shadow:mm:routes`
    this.#perRoute = o.perRoute ?? 20
    this.#maxRoutes = o.maxRoutes ?? 500
    this.#ttlMs = o.ttlMs ?? 7 * 24 * 3600 * 1000
    this.#onError = o.onError
  }

  /** Writes to Redis that failed since start (the samples stayed local). */
  get failedWrites (): number { return this.#failedWrites }

  /** Records locally (sanitised by the base class), then pushes that same record to Redis. */
  override add (route: string, r: MismatchRecord): void {
    super.add(route, r)
    const clean = super.list(route)[0]
    if (clean === undefined) return
    const write = this.#client.gwMismatchAdd(`${this.#listPrefix}${route}`, this.#routesKey, JSON.stringify(clean),
      this.#perRoute, this.#maxRoutes, route, this.#ttlMs, this.#listPrefix)
      .catch((err: unknown) => { this.#failedWrites++; this.#onError?.(err) })
    this.#pending.add(write)
    write.finally(() => { this.#pending.delete(write) }).catch(() => {})
  }

  /** Every replica's samples for the route, newest first; this replica's own if Redis fails. */
  async listShared (route: string, limit = this.#perRoute): Promise<MismatchRecord[]> {
    let rows: string[]
    try {
      rows = await this.#client.lrange(`${this.#listPrefix}${route}`, 0, Math.max(0, limit - 1))
    } catch (err) {
      this.#onError?.(err)
      return this.list(route).slice(0, limit)
    }
    const out: MismatchRecord[] = []
    for (const row of rows) {
      try { out.push(JSON.parse(row) as MismatchRecord) } catch { /* a foreign value: skip */ }
    }
    return out
  }

  /** Resolves when the writes started so far have finished (tests, shutdown). */
  async flushed (): Promise<void> {
    await Promise.all([...this.#pending])
  }
}
