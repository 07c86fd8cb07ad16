// The job queue on Redis (REDIS_URL): a stream with one consumer group orders and hands out
// deliveries, so several gateway replicas share one queue and each job goes to one of them; a
// hash per job holds its state and legacy's answer; a SET NX key per client idempotency scope
// coalesces duplicates. Every state change is one Lua script (redis-job-scripts.ts), atomic.
// Retries with a backoff wait in a sorted set and re-enter the stream when due (streams have no
// delayed delivery).
// Crash recovery is the consumer group's pending list: a claimed job stays pending for its
// consumer until it is settled. A consumer refreshes its own pending entries while it delivers
// (XCLAIM JUSTID every claimIdleMs/3); entries idle longer than claimIdleMs belong to a consumer
// that died, and any replica's periodic sweep (XAUTOCLAIM) puts their jobs back to queued — the
// redelivery carries the same Idempotency-Key, so legacy replays instead of billing twice.
// Durability is Redis's: enqueue() resolves once Redis has executed the script (the 202 follows);
// whether that write survives a crash depends on the server's AOF settings (docs/async.md).
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import type { Redis } from 'ioredis'
import { AsyncQueueFullError, AsyncQueueWriteError } from '../errors.js'
import { closeRedisClient, createRedisClient } from '../distributed/redis-client.js'
import type { EnqueueResult, Job, JobQueue, JobResult, JobState, ListQuery, NewJob } from './job-queue.port.js'
import { JOB_STATES } from './job-queue.port.js'
import { createdJob, newJobId } from './new-job.js'
import { entryOf, mapToJob, newJobFields, pairsToMap } from './redis-job-fields.js'
import { JOB_SCRIPTS, scriptSource } from './redis-job-scripts.js'
import type { JobScriptName } from './redis-job-scripts.js'

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

/** What the server said about persistence at open (CONFIG GET; `unknown` where CONFIG is refused). */
export interface RedisDurability { appendonly: string, appendfsync: string, maxmemoryPolicy: string }

const GROUP = 'delivery'
const SWEEP_BATCH = 100
type ScriptFn = (...args: Array<string | number | Buffer>) => Promise<unknown>

function writeError (err: unknown): Error {
  const msg = (err as Error).message ?? String(err)
  return Object.assign(new AsyncQueueWriteError(`redis: ${msg}`), { cause: err })
}

export class RedisJobQueue implements JobQueue {
  readonly client: Redis
  readonly consumer: string
  readonly prefix: string
  durability: RedisDurability = { appendonly: 'unknown', appendfsync: 'unknown', maxmemoryPolicy: 'unknown' }
  readonly #o: RedisJobQueueOptions
  readonly #now: () => number
  readonly #claimIdleMs: number
  /** Jobs this consumer claimed and has not settled: id → stream entry (for the heartbeat). */
  readonly #claimed = new Map<string, string>()
  readonly #heartbeat: NodeJS.Timeout
  #lastSweep = 0

  /** Connects, creates the consumer group if absent and reads the durability settings. */
  static async open (options: RedisJobQueueOptions): Promise<RedisJobQueue> {
    const queue = new RedisJobQueue(options)
    try {
      await queue.client.connect()
      await queue.#ensureGroup()
      await queue.#script('gwJobRetentionInit')(queue.prefix)
      await queue.#probeDurability()
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
    this.#claimIdleMs = options.claimIdleMs ?? 60_000
    this.consumer = options.consumerName ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
    this.client = createRedisClient(options.url, {
      timeoutMs: options.commandTimeoutMs ?? 2000,
      connectionName: `gw:${this.consumer}:jobs`
    })
    for (const name of Object.keys(JOB_SCRIPTS) as JobScriptName[]) {
      this.client.defineCommand(name, { numberOfKeys: 0, lua: scriptSource(name) })
    }
    this.#heartbeat = setInterval(() => { this.#beat().catch(() => {}) }, Math.max(10, Math.floor(this.#claimIdleMs / 3)))
    this.#heartbeat.unref()
  }

  #script (name: JobScriptName, buffers = false): ScriptFn {
    const fn = (this.client as unknown as Record<string, ScriptFn>)[buffers ? `${name}Buffer` : name]!
    return fn.bind(this.client)
  }

  async #ensureGroup (): Promise<void> {
    try {
      // From '0': entries XADDed before the group existed (e.g. after a Redis restart) are delivered too.
      await this.client.xgroup('CREATE', `${this.prefix}stream`, GROUP, '0', 'MKSTREAM')
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err
    }
  }

  async #probeDurability (): Promise<void> {
    const get = async (name: string): Promise<string> => {
      try {
        const r = await this.client.config('GET', name) as string[]
        return r[1] ?? 'unknown'
      } catch { return 'unknown' } // managed services often refuse CONFIG
    }
    this.durability = { appendonly: await get('appendonly'), appendfsync: await get('appendfsync'), maxmemoryPolicy: await get('maxmemory-policy') }
    const d = this.durability
    if (d.appendonly === 'no') {
      this.#o.logger?.warn({ durability: d }, 'async: Redis has appendonly off: a Redis restart loses acknowledged jobs (docs/async.md "Redis queue")')
    }
    if (d.maxmemoryPolicy !== 'noeviction' && d.maxmemoryPolicy !== 'unknown') {
      this.#o.logger?.warn({ durability: d }, 'async: Redis may evict keys (maxmemory-policy is not noeviction): jobs could vanish')
    }
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
    await this.#sweepIfDue(now)
    let rows: Buffer[][]
    try {
      rows = await this.#script('gwJobClaim', true)(this.prefix, GROUP, this.consumer, now, limit) as Buffer[][]
    } catch (err) {
      // The stream (and its group) vanished: Redis restarted without persistence or was flushed.
      if (!String((err as Error).message).includes('NOGROUP')) throw err
      await this.#ensureGroup()
      return []
    }
    return rows.map(pairs => {
      const map = pairsToMap(pairs)!
      const job = mapToJob(map)
      this.#claimed.set(job.id, entryOf(map) ?? '')
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
    try { await run() } finally { this.#claimed.delete(id) }
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
  async recoverInflight (now: number): Promise<number> {
    let requeued = 0
    for (;;) {
      const [n, seen] = await this.#script('gwJobRecover')(this.prefix, GROUP, this.consumer, now, 'own', SWEEP_BATCH) as [number, number, string]
      requeued += n
      if (seen < SWEEP_BATCH) break
    }
    this.#claimed.clear()
    return requeued + await this.recoverStale(now)
  }

  /** Jobs of consumers idle longer than claimIdleMs back to queued. Returns how many. */
  async recoverStale (now: number): Promise<number> {
    this.#lastSweep = performance.now()
    let requeued = 0
    let cursor = '0-0'
    do {
      const r = await this.#script('gwJobRecover')(this.prefix, GROUP, this.consumer, now, 'stale', SWEEP_BATCH, this.#claimIdleMs, cursor) as [number, number, string]
      requeued += r[0]
      cursor = r[2]
    } while (cursor !== '0-0')
    if (requeued > 0) this.#o.logger?.warn({ requeued, consumer: this.consumer }, 'async: jobs of a dead consumer requeued (same Idempotency-Key)')
    await this.#forgetIdleConsumers()
    return requeued
  }

  /**
   * Every process start adds a consumer name to the group; names with nothing pending and idle for
   * forgetConsumersAfterMs are deleted so the group does not grow forever. A live but idle replica
   * loses nothing: XREADGROUP recreates its name on the next read.
   */
  async #forgetIdleConsumers (): Promise<void> {
    const limit = this.#o.forgetConsumersAfterMs ?? Math.max(600_000, this.#claimIdleMs * 10)
    const rows = await this.client.xinfo('CONSUMERS', `${this.prefix}stream`, GROUP) as Array<Array<string | number>>
    for (const row of rows) {
      const info = new Map<string, string | number>()
      for (let i = 0; i + 1 < row.length; i += 2) info.set(String(row[i]), row[i + 1]!)
      const name = String(info.get('name'))
      if (name !== this.consumer && Number(info.get('pending')) === 0 && Number(info.get('idle')) > limit) {
        await this.#script('gwJobForgetConsumer')(this.prefix, GROUP, name) // atomic: only if still nothing pending
      }
    }
  }

  async #sweepIfDue (now: number): Promise<void> {
    if (performance.now() - this.#lastSweep < Math.min(this.#claimIdleMs / 2, 5000)) return
    await this.recoverStale(now)
  }

  /** Keeps this consumer's in-flight entries from looking idle (and so dead) to the sweep. */
  async #beat (): Promise<void> {
    const entries = [...this.#claimed.values()].filter(e => e !== '')
    if (entries.length === 0 || this.client.status !== 'ready') return
    await this.#script('gwJobHeartbeat')(this.prefix, GROUP, this.consumer, ...entries)
  }

  async list (query: ListQuery): Promise<Job[]> {
    const limit = Math.max(1, Math.min(1000, query.limit ?? 50))
    const index = query.state === undefined ? `${this.prefix}all` : `${this.prefix}state:${query.state}`
    const ids = await this.client.zrevrange(index, 0, limit - 1)
    if (ids.length === 0) return []
    const pipe = this.client.pipeline()
    for (const id of ids) pipe.hgetallBuffer(`${this.prefix}job:${id}`)
    const replies = await pipe.exec() ?? []
    const jobs: Job[] = []
    for (const [err, pairs] of replies) {
      if (err) throw err
      const map = pairsToMap(pairs as Record<string, Buffer>)
      if (map !== undefined) jobs.push(mapToJob(map))
    }
    // Newest first, ties by id (as the SQLite queue lists them).
    return jobs.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  }

  async counts (): Promise<Record<JobState, number>> {
    const pipe = this.client.pipeline()
    for (const s of JOB_STATES) pipe.zcard(`${this.prefix}state:${s}`)
    const replies = await pipe.exec() ?? []
    const out = {} as Record<JobState, number>
    JOB_STATES.forEach((s, i) => {
      const [err, n] = replies[i] ?? [new Error('no reply'), 0]
      if (err) throw err
      out[s] = n as number
    })
    return out
  }

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
    clearInterval(this.#heartbeat)
    await closeRedisClient(this.client)
  }
}
