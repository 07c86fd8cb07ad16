// Picks the durable job queue: a Redis stream shared by every replica when a Redis URL is given
// (REDIS_URL), else the embedded SQLite file under dataDir. The wiring calls this once at start.
import { resolve } from 'node:path'
import type { JobQueue } from './job-queue.port.js'
import { RedisJobQueue } from './redis-job-queue.js'
import type { RedisJobQueueOptions } from './redis-job-queue.js'
import { SqliteJobQueue } from './sqlite-job-queue.js'

export interface OpenJobQueueOptions {
  /** REDIS_URL; unset or empty = SQLite. */
  redisUrl?: string
  /** `async.dataDir` (SQLite only), resolved against the working directory. */
  dataDir: string
  /** `async.maxQueuedJobs`: jobs queued or delivering at most (per file, or per Redis prefix). */
  maxQueuedJobs: number
  /** Redis: key prefix (default `gw:jobs:`); use `<distributed.keyPrefix>jobs:` to keep one namespace. */
  keyPrefix?: string
  /** Redis: this replica's consumer name (default unique per process; see RedisJobQueueOptions). */
  consumerName?: string
  /** Redis: a pending delivery idle this long (ms) is taken over from its dead consumer. Default 60000. */
  claimIdleMs?: number
  /** Redis: budget of one command (ms). Default 2000. */
  commandTimeoutMs?: number
  now?: () => number
  logger?: RedisJobQueueOptions['logger']
}

export type OpenedJobQueue = (SqliteJobQueue | RedisJobQueue) & JobQueue

/**
 * SQLite opens synchronously (and throws if the directory cannot be used); Redis connects, creates
 * the consumer group and reads the server's persistence settings — it rejects when Redis cannot be
 * reached, and the caller decides (refuse to start, or retry).
 */
export async function openJobQueue (o: OpenJobQueueOptions): Promise<OpenedJobQueue> {
  if (o.redisUrl !== undefined && o.redisUrl !== '') {
    return RedisJobQueue.open({
      url: o.redisUrl,
      maxQueuedJobs: o.maxQueuedJobs,
      ...(o.keyPrefix === undefined ? {} : { keyPrefix: o.keyPrefix }),
      ...(o.consumerName === undefined ? {} : { consumerName: o.consumerName }),
      ...(o.claimIdleMs === undefined ? {} : { claimIdleMs: o.claimIdleMs }),
      ...(o.commandTimeoutMs === undefined ? {} : { commandTimeoutMs: o.commandTimeoutMs }),
      ...(o.now === undefined ? {} : { now: o.now }),
      ...(o.logger === undefined ? {} : { logger: o.logger })
    })
  }
  return new SqliteJobQueue({ dataDir: resolve(o.dataDir), maxQueuedJobs: o.maxQueuedJobs, ...(o.now === undefined ? {} : { now: o.now }) })
}
