// Wiring aid: everything distributed mode needs for one replica, from REDIS_URL and the
// `distributed` config block — a command connection, a subscriber connection, the degraded-mode
// tracker and factories for the shared stores. The app calls this only when REDIS_URL is set.
import type { Redis } from 'ioredis'
import type { AuditLog } from '../ops/audit-log.js'
import type { QueueSettings } from '../protection/concurrency-limiter.js'
import { DegradedMode } from './degraded-mode.js'
import type { DegradedLogger } from './degraded-mode.js'
import type { DistributedConfig } from './distributed.schema.js'
import { createRedisAuditLog } from './redis-audit-log.js'
import { closeRedisClient, createRedisClient } from './redis-client.js'
import { RedisMismatchStore } from './redis-mismatch-store.js'
import type { RedisMismatchStoreOptions } from './redis-mismatch-store.js'
import { createRedisStateStore } from './redis-route-state-store.js'
import type { RedisStateStore } from './redis-route-state-store.js'
import { RedisSemaphore } from './redis-semaphore.js'
import { RedisRateLimiter } from './redis-token-bucket.js'

export interface Distributed {
  client: Redis
  /** Route state and audit: admin changes, not on the request path (1 s budget). */
  stateClient: Redis
  subscriber: Redis
  degraded: DegradedMode
  rateLimiter: () => RedisRateLimiter
  semaphore: (o: { name: string, maxConcurrency: number, queue: QueueSettings, onChange?: (inflight: number, queued: number) => void }) => RedisSemaphore
  stateStore: (onSyncError?: (err: unknown) => void) => RedisStateStore
  auditLog: () => AuditLog
  /** Shadow mismatch samples shared by the replicas (a MismatchStore; on the state connection). */
  mismatchStore: (o?: Omit<RedisMismatchStoreOptions, 'client' | 'keyPrefix'>) => RedisMismatchStore
  /** Readiness check for ops/health.ts `addCheck('redis', …)`. */
  readinessCheck: () => { ok: boolean, detail?: string }
  close: () => Promise<void>
}

export interface OpenDistributedOptions {
  url: string
  config: DistributedConfig
  logger?: DegradedLogger
  /** Used in CLIENT LIST names. */
  replicaName?: string
  /**
   * Redis unreachable at start: false (default) rejects; true resolves degraded — the clients
   * keep reconnecting (retryStrategy) and the replica returns to shared state once Redis answers.
   */
  degradedStart?: boolean
}

/** Connects both connections. Unreachable Redis rejects, unless `degradedStart` (see above). */
export async function openDistributed (options: OpenDistributedOptions): Promise<Distributed> {
  const { config } = options
  const name = options.replicaName ?? String(process.pid)
  const client = createRedisClient(options.url, { timeoutMs: config.redisTimeoutMs, connectionName: `gw:${name}:cmd` })
  // SUBSCRIBE and the route state/audit are not on the request path: give them a second, not
  // 50 ms (on a loaded host an admin change must not fail because of a 50 ms event-loop stall).
  const subscriber = createRedisClient(options.url, { timeoutMs: 1000, connectionName: `gw:${name}:sub` })
  const stateClient = createRedisClient(options.url, { timeoutMs: 1000, connectionName: `gw:${name}:state` })
  const all = [client, subscriber, stateClient]
  let startFailure: unknown
  // allSettled: both connect() calls must settle before we decide, or a late rejection of the
  // second would go unhandled. A rejected connect() keeps reconnecting in the background.
  const outcomes = await Promise.allSettled(all.map(c => c.connect()))
  const failed = outcomes.find(o => o.status === 'rejected')
  if (failed !== undefined) {
    if (options.degradedStart !== true) {
      for (const c of all) c.disconnect(false)
      throw failed.reason
    }
    startFailure = failed.reason
  }
  // Every semaphore and store of this replica listens on the one subscriber connection.
  subscriber.setMaxListeners(0)
  const degraded = new DegradedMode({
    client,
    expectedReplicas: config.expectedReplicas,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(startFailure === undefined ? {} : { startCause: startFailure })
  })
  const closers: Array<() => void> = []
  const base = { client, subscriber, degraded, keyPrefix: config.keyPrefix }
  return {
    client,
    stateClient,
    subscriber,
    degraded,
    rateLimiter: () => new RedisRateLimiter(base),
    semaphore: (o) => {
      const s = new RedisSemaphore({ ...base, ...o, leaseTtlMs: config.leaseTtlMs })
      closers.push(() => { s.close() })
      return s
    },
    stateStore: (onSyncError) => {
      const s = createRedisStateStore({ ...base, client: stateClient, ...(onSyncError ? { onSyncError } : {}) })
      closers.push(() => { s.close() })
      return s
    },
    auditLog: () => createRedisAuditLog({ ...base, client: stateClient }),
    mismatchStore: (o = {}) => new RedisMismatchStore({ ...o, client: stateClient, keyPrefix: config.keyPrefix }),
    readinessCheck: () => degraded.degraded ? { ok: false, detail: 'redis unavailable: local fallback limits in use' } : { ok: true },
    async close () {
      for (const c of closers) c()
      degraded.close()
      await Promise.all(all.map(closeRedisClient))
    }
  }
}
