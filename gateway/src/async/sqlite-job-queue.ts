// The embedded durable job queue: one SQLite file (better-sqlite3) in WAL mode with
// synchronous=FULL, so a commit is on disk before enqueue() resolves and the 202 goes out.
// Intake is group-committed: enqueues arriving in the same event-loop turn share one
// transaction (one fsync), which keeps a burst of thousands cheap without acknowledging
// anything early. better-sqlite3 is synchronous and this process is the only writer, so the
// worker's claims and updates cannot race each other; statements are prepared once. The port is
// asynchronous (for Redis); here every method does its work synchronously and resolves at once.
// The worker's bookkeeping (claim, delivered, retry, release) uses a second connection with
// synchronous=NORMAL, which keeps fsyncs off the intake's path during a burst (both connections
// and every statement: sqlite-job-db.ts).
import { statSync } from 'node:fs'
import type { Database as Db } from 'better-sqlite3'
import { AsyncQueueFullError, AsyncQueueWriteError } from '../errors.js'
import type { EnqueueResult, Job, JobQueue, JobResult, JobState, ListQuery, NewJob } from './job-queue.port.js'
import { JOB_STATES } from './job-queue.port.js'
import { createdJob, newJobId } from './new-job.js'
import { openJobDatabase } from './sqlite-job-db.js'
import type { JobDatabase } from './sqlite-job-db.js'
import { rowToJob } from './sqlite-job-rows.js'
import type { JobRow } from './sqlite-job-rows.js'

export interface SqliteJobQueueOptions {
  /** Directory of jobs.db (created if absent). */
  dataDir: string
  /** Jobs queued or delivering at most; an enqueue beyond → AsyncQueueFullError. */
  maxQueuedJobs: number
  /** Wall clock, epoch ms. */
  now?: () => number
}

interface Pending { job: NewJob, resolve: (r: EnqueueResult) => void, reject: (err: unknown) => void }

export class SqliteJobQueue implements JobQueue {
  /** The connection (ops and tests: e.g. `pragma('max_page_count')` to simulate a full disk). */
  readonly db: Db
  readonly #wdb: Db
  readonly #file: string
  readonly #max: number
  readonly #now: () => number
  readonly #s: JobDatabase['s']
  #pending: Pending[] = []
  #flushScheduled = false
  #open = 0

  constructor (opts: SqliteJobQueueOptions) {
    const { db, wdb, file, s } = openJobDatabase(opts.dataDir)
    this.db = db
    this.#wdb = wdb
    this.#file = file
    this.#s = s
    this.#max = opts.maxQueuedJobs
    this.#now = opts.now ?? Date.now
    this.#open = (this.#s.countOpen.get() as { n: number }).n
  }

  enqueue (job: NewJob): Promise<EnqueueResult> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ job, resolve, reject })
      if (!this.#flushScheduled) {
        this.#flushScheduled = true
        setImmediate(() => this.#flush())
      }
    })
  }

  /** One transaction for every enqueue of this turn: all commit (and resolve) or none do. */
  #flush (): void {
    this.#flushScheduled = false
    const batch = this.#pending
    this.#pending = []
    const now = this.#now()
    const outcomes: Array<EnqueueResult | Error> = []
    let added = 0
    try {
      this.db.transaction(() => {
        for (const { job } of batch) {
          if (job.idempotencyScope !== undefined) {
            const row = this.#s.byScope.get(job.idempotencyScope) as JobRow | undefined
            if (row !== undefined) {
              const existing = rowToJob(row)
              outcomes.push(existing.fingerprint === job.fingerprint ? { kind: 'existing', job: existing } : { kind: 'mismatch', job: existing })
              continue
            }
          }
          if (this.#open + added >= this.#max) {
            outcomes.push(new AsyncQueueFullError(this.#max))
            continue
          }
          const id = newJobId()
          this.#s.insert.run({
            id,
            routeId: job.routeId,
            method: job.method,
            target: job.target,
            headers: JSON.stringify(job.headers),
            body: job.body,
            idemScope: job.idempotencyScope ?? null,
            fingerprint: job.fingerprint,
            deliveryKey: job.clientKey ?? id,
            maxAttempts: job.maxAttempts,
            baseMs: job.backoff.baseMs,
            maxMs: job.backoff.maxMs,
            deadlineAt: job.deadlineAt,
            now
          })
          added++
          outcomes.push({ kind: 'created', job: createdJob(id, job, now) })
        }
      })()
    } catch (err) {
      // Nothing of this batch is committed (SQLITE_FULL, SQLITE_READONLY, SQLITE_IOERR, closed db).
      const code = (err as { code?: string }).code ?? (err as Error).name
      for (const p of batch) p.reject(Object.assign(new AsyncQueueWriteError(`${code}: ${(err as Error).message}`), { cause: err }))
      return
    }
    this.#open += added
    batch.forEach((p, i) => {
      const outcome = outcomes[i]!
      if (outcome instanceof Error) p.reject(outcome)
      else p.resolve(outcome)
    })
  }

  async get (id: string): Promise<Job | undefined> { return this.#get(id) }

  #get (id: string): Job | undefined {
    const row = this.#s.get.get(id) as JobRow | undefined
    return row === undefined ? undefined : rowToJob(row)
  }

  async claimDue (now: number, limit: number): Promise<Job[]> {
    if (limit <= 0) return []
    return this.#wdb.transaction(() => {
      const rows = this.#s.due.all(now, limit) as JobRow[]
      for (const row of rows) {
        this.#s.claim.run(now, row.id)
        row.state = 'delivering'
      }
      return rows.map(rowToJob)
    })()
  }

  async nextDueAt (): Promise<number | undefined> {
    const t = (this.#s.nextDue.get() as { t: number | null }).t
    return t === null ? undefined : t
  }

  #finish (state: JobState, id: string, result: JobResult, now: number, error: string | null): void {
    const changed = this.#s.finish.run({
      id,
      state,
      now,
      status: result.status,
      headers: JSON.stringify(result.headers),
      body: result.body,
      truncated: result.truncated ? 1 : 0,
      error
    }).changes
    this.#open -= changed
  }

  async markDelivered (id: string, result: JobResult, now: number): Promise<void> { this.#finish('delivered', id, result, now, null) }
  async markFailed (id: string, result: JobResult, now: number): Promise<void> {
    this.#finish('failed', id, result, now, `legacy answered ${result.status}`)
  }

  async markRetry (id: string, error: string, nextAttemptAt: number, now: number): Promise<void> {
    this.#s.retry.run({ id, error, at: nextAttemptAt, now })
  }

  async release (id: string, reason: string | null, nextAttemptAt: number, now: number): Promise<void> {
    this.#s.release.run({ id, error: reason, at: nextAttemptAt, now })
  }

  async markDead (id: string, error: string, now: number): Promise<void> {
    this.#open -= this.#s.dead.run({ id, error, now }).changes
  }

  async recoverInflight (now: number): Promise<number> {
    return this.#s.recover.run(now, now).changes
  }

  async list (query: ListQuery): Promise<Job[]> {
    const limit = Math.max(1, Math.min(1000, query.limit ?? 50))
    const rows = query.state === undefined ? this.#s.listAll.all(limit) : this.#s.listState.all(query.state, limit)
    return (rows as JobRow[]).map(rowToJob)
  }

  async counts (): Promise<Record<JobState, number>> {
    const out = Object.fromEntries(JOB_STATES.map(s => [s, 0])) as Record<JobState, number>
    for (const { state, n } of this.#s.counts.all() as Array<{ state: JobState, n: number }>) out[state] = n
    return out
  }

  async retry (id: string, now: number): Promise<Job | undefined> {
    const job = this.#get(id)
    if (job === undefined) return undefined
    const deadline = now + Math.max(0, job.deadlineAt - job.createdAt)
    const changed = this.#s.replay.run({ id, now, deadline }).changes
    this.#open += changed
    return this.#get(id)
  }

  async purgeDead (): Promise<number> {
    return this.#s.purge.run().changes
  }

  /** One autocommit DELETE on the worker's connection: a batch is one short write, never the backlog at once. */
  async sweepSettled (settledBefore: number, limit: number): Promise<number> {
    if (limit <= 0) return 0
    return this.#s.sweep.run(settledBefore, limit).changes
  }

  async storeBytes (): Promise<number> {
    let bytes = 0
    for (const suffix of ['', '-wal']) {
      try { bytes += statSync(this.#file + suffix).size } catch { /* no WAL right now */ }
    }
    return bytes
  }

  async close (): Promise<void> {
    if (this.#wdb.open) this.#wdb.close()
    if (this.db.open) this.db.close()
  }
}
