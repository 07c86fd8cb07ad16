// The job queue on Redis (REDIS_URL): a stream with one consumer group orders and hands out
// deliveries, so several gateway replicas share one queue and each job goes to one of them; a
// hash per job holds its state and legacy's answer; a SET NX key per client idempotency scope
// coalesces duplicates. Every state change is one Lua script (redis-job-scripts.ts), atomic.
// Retries with a backoff wait in a sorted set and re-enter the stream when due (streams have no
// delayed delivery).
// Crash recovery is the consumer group's pending list (redis-job-recovery.ts): a job claimed by a
// consumer that died goes back to queued and is redelivered with the same Idempotency-Key.
// Durability is Redis's: enqueue() resolves once Redis has executed the script (the 202 follows);
// whether that write survives a crash depends on the server's AOF settings (docs/async.md).
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import type { Redis } from 'ioredis'
import { AsyncQueueFullError, AsyncQueueWriteError } from '../errors.js'
import { closeRedisClient, createRedisClient } from '../distributed/redis-client.js'
import type { EnqueueResult, Job, JobQueue, JobResult, JobState, ListQuery, NewJob } from './job-queue.port.js'
import { createdJob, newJobId } from './new-job.js'
import { entryOf, mapToJob, newJobFields, pairsToMap } from './redis-job-fields.js'
import { countJobs, listJobs } from './redis-job-views.js'
import { ConsumerRecovery } from './redis-job-recovery.js'
import { defineJobScripts, jobScript } from './redis-job-scripts.js'
import type { JobScriptName, ScriptFn } from './redis-job-scripts.js'
import { UNKNOWN_DURABILITY, ensureGroup, probeDurability } from './redis-job-setup.js'
import type { RedisDurability } from './redis-job-setup.js'

export interface RedisJobQueueOptions {
  url: string
  /** Key prefix of every queue key. Default `gw:jobs:`; use a hash tag (`{gw-jobs}:`) on Redis Cluster. */
  keyPrefix?: string
  /** Jobs queued or delivering at most, across all replicas; beyond → AsyncQueueFullError. */
  maxQueuedJobs: number
  /**
   * This replica's consumer name in the group. Default `<hostname>:<pid>:<random>` (unique per
   * process). A stable name lets a restarted replica take back its own in-flight jobs at once;
   * two live replicas must never share one.
   */
  consumerName?: string
  /** A pending delivery idle this long (ms) belonged to a dead consumer and is redelivered. Default 60000. */
  claimIdleMs?: number
  /** Consumer names idle this long (ms) with nothing pending are removed from the group. Default max(10 min, 10 × claimIdleMs). */
  forgetConsumersAfterMs?: number
  /** Budget of one Redis command (ms); a slower answer fails the call (enqueue → 503). Default 2000. */
  commandTimeoutMs?: number
  now?: () => number
  logger?: { warn: (obj: object, msg: string) => void }
}

const GROUP = 'delivery'

function writeError (err: unknown): Error {
  const msg = (err as Error).message ?? String(err)
  return Object.assign(new AsyncQueueWriteError(`redis: ${msg}`), { cause: err })
}

export class RedisJobQueue implements JobQueue {
  readonly client: Redis
  readonly consumer: string
  readonly prefix: string
  durability: RedisDurability = { ...UNKNOWN_DURABILITY }
  readonly #o: RedisJobQueueOptions
  readonly #now: () => number
  readonly #recovery: ConsumerRecovery

  /** Connects, creates the consumer group if absent and reads the durability settings. */
  static async open (options: RedisJobQueueOptions): Promise<RedisJobQueue> {
    const queue = new RedisJobQueue(options)
    try {
      await queue.client.connect()
      await ensureGroup(queue.client, queue.prefix, GROUP)
      await queue.#script('gwJobRetentionInit')(queue.prefix)
      queue.durability = await probeDurability(queue.client, options.logger)
    } catch (err) {
      await queue.close()
      throw err
    }
    return queue
  }

  private constructor (options: RedisJobQueueOptions) {
    this.#o = options
    this.#now = options.now ?? Date.now
    this.prefix = options.keyPrefix ?? 'gw:jobs:'
    this.consumer = options.consumerName ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
    this.client = createRedisClient(options.url, {
      timeoutMs: options.commandTimeoutMs ?? 2000,
      connectionName: `gw:${this.consumer}:jobs`
    })
    defineJobScripts(this.client)
    this.#recovery = new ConsumerRecovery({
      client: this.client,
      prefix: this.prefix,
      group: GROUP,
      consumer: this.consumer,
      claimIdleMs: options.claimIdleMs ?? 60_000,
      forgetConsumersAfterMs: options.forgetConsumersAfterMs,
      logger: options.logger
    })
  }

  #script (name: JobScriptName, buffers = false): ScriptFn {
    return jobScript(this.client, name, buffers)
  }

  async enqueue (job: NewJob): Promise<EnqueueResult> {
    const id = newJobId()
    const now = this.#now()
    let reply: string[]
    try {
      reply = await this.#script('gwJobEnqueue')(this.prefix, this.#o.maxQueuedJobs, id, job.idempotencyScope ?? '', now,
        ...newJobFields(id, job, now)) as string[]
    } catch (err) {
      throw writeError(err)
    }
    if (reply[0] === 'full') throw new AsyncQueueFullError(this.#o.maxQueuedJobs)
    if (reply[0] === 'created') return { kind: 'created', job: createdJob(id, job, now) }
    const existing = await this.#getOrThrow(reply[1]!)
    return existing.fingerprint === job.fingerprint ? { kind: 'existing', job: existing } : { kind: 'mismatch', job: existing }
  }

  async #getOrThrow (id: string): Promise<Job> {
    let job: Job | undefined
    try { job = await this.get(id) } catch (err) { throw writeError(err) }
    if (job === undefined) throw new AsyncQueueWriteError(`redis: job ${id} vanished right after it was stored`)
    return job
  }

  async get (id: string): Promise<Job | undefined> {
    const map = pairsToMap(await this.client.hgetallBuffer(`${this.prefix}job:${id}`))
    return map === undefined ? undefined : mapToJob(map)
  }

  async claimDue (now: number, limit: number): Promise<Job[]> {
    if (limit <= 0) return []
    await this.#recovery.sweepIfDue(now)
    let rows: Buffer[][]
    try {
      rows = await this.#script('gwJobClaim', true)(this.prefix, GROUP, this.consumer, now, limit) as Buffer[][]
    } catch (err) {
      // The stream (and its group) vanished: Redis restarted without persistence or was flushed.
      if (!String((err as Error).message).includes('NOGROUP')) throw err
      await ensureGroup(this.client, this.prefix, GROUP)
      return []
    }
    return rows.map(pairs => {
      const map = pairsToMap(pairs)!
      const job = mapToJob(map)
      this.#recovery.claimed.set(job.id, entryOf(map) ?? '')
      return job
    })
  }

  async nextDueAt (): Promise<number | undefined> {
    const [ready, first] = await this.#script('gwJobNextDue')(this.prefix) as [number, string]
    if (ready > 0) return this.#now()
    return first === '' ? undefined : Number(first)
  }

  /**
   * Runs a settling script and stops heart-beating the job either way: if the write failed (Redis
   * away), the entry stays pending, goes idle, and a sweep requeues the job after claimIdleMs —
   * a heartbeat kept alive here would pin it in `delivering` for as long as this process lives.
   */
  async #settle (id: string, run: () => Promise<unknown>): Promise<void> {
    try { await run() } finally { this.#recovery.claimed.delete(id) }
  }

  #finish (state: JobState, id: string, result: JobResult, now: number, error: string): Promise<void> {
    return this.#settle(id, () => this.#script('gwJobFinish')(this.prefix, GROUP, id, state, now, JSON.stringify(result), error))
  }

  markDelivered (id: string, result: JobResult, now: number): Promise<void> { return this.#finish('delivered', id, result, now, '') }
  markFailed (id: string, result: JobResult, now: number): Promise<void> {
    return this.#finish('failed', id, result, now, `legacy answered ${result.status}`)
  }

  markRetry (id: string, error: string, nextAttemptAt: number, now: number): Promise<void> {
    return this.#settle(id, () => this.#script('gwJobRequeue')(this.prefix, GROUP, id, now, nextAttemptAt, error, '1'))
  }

  release (id: string, reason: string | null, nextAttemptAt: number, now: number): Promise<void> {
    return this.#settle(id, () => this.#script('gwJobRequeue')(this.prefix, GROUP, id, now, nextAttemptAt, reason ?? '', '0'))
  }

  markDead (id: string, error: string, now: number): Promise<void> {
    return this.#settle(id, () => this.#script('gwJobDead')(this.prefix, GROUP, id, now, error))
  }

  /** This consumer's own pending entries (any age), then every consumer's stale ones. */
  recoverInflight (now: number): Promise<number> { return this.#recovery.recoverInflight(now) }

  /** Jobs of consumers idle longer than claimIdleMs back to queued. Returns how many. */
  recoverStale (now: number): Promise<number> { return this.#recovery.recoverStale(now) }

  list (query: ListQuery): Promise<Job[]> { return listJobs(this.client, this.prefix, query) }

  counts (): Promise<Record<JobState, number>> { return countJobs(this.client, this.prefix) }

  async retry (id: string, now: number): Promise<Job | undefined> {
    if (await this.get(id) === undefined) return undefined
    await this.#script('gwJobReplay')(this.prefix, id, now)
    return await this.get(id)
  }

  async purgeDead (): Promise<number> {
    let purged = 0
    for (;;) {
      const n = await this.#script('gwJobPurgeDead')(this.prefix, 500) as number
      purged += n
      if (n < 500) return purged
    }
  }

  /** One script per call (Redis runs nothing else meanwhile): keep `limit` small, in the hundreds. */
  async sweepSettled (settledBefore: number, limit: number): Promise<number> {
    if (limit <= 0) return 0
    return await this.#script('gwJobSweepSettled')(this.prefix, GROUP, settledBefore, limit) as number
  }

  async storeBytes (): Promise<number> {
    return await this.#script('gwJobStoreBytes')(this.prefix, 16) as number
  }

  async close (): Promise<void> {
    this.#recovery.close()
    await closeRedisClient(this.client)
  }
}
