// The legacy concurrency cap as the shield uses it: the in-process ConcurrencyLimiter
// (concurrency-limiter.ts) already has this shape; RedisSemaphore (distributed/redis-semaphore.ts) implements it with
// permits shared by every replica. Typing the shield's `limiter` option with this interface is
// the only change the shield needs to take either.
import type { AcquireOptions, QueueSettings, Release } from './concurrency-limiter.js'

export interface PermitLimiter {
  readonly name: string
  /** Permits held by this replica. */
  readonly inflight: number
  /** Callers of this replica waiting for a permit. */
  readonly queued: number
  /** The cap in force (shared cap; the per-replica share while degraded). */
  readonly limit: number
  readonly maxInflightSeen: number
  resetMaxInflightSeen: () => void
  acquire: (options?: AcquireOptions) => Promise<Release>
  reconfigure: (maxConcurrency: number, queue: QueueSettings) => void
}
