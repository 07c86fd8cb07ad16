// The durable job queue as the rest of the async integration sees it. The embedded default is
// SQLite (sqlite-job-queue.ts); with REDIS_URL a Redis stream + consumer group (redis-job-queue.ts).
// Every method is asynchronous because a network store answers later; implementations keep the
// same guarantees: enqueue resolves only once the job is stored (the 202 follows), a client's
// idempotency scope maps to one job even under concurrency, and a job claimed by a consumer that
// died is put back to `queued` and redelivered with the same deliveryKey.
import type { HeaderMap } from '../http/header-hygiene.js'

export const JOB_STATES = ['queued', 'delivering', 'delivered', 'failed', 'dead'] as const
export type JobState = typeof JOB_STATES[number]

export interface NewJob {
  routeId: string
  method: string
  /** Path and query as sent to legacy. */
  target: string
  headers: HeaderMap
  body: Buffer
  /** Unique-index key derived from the client's Idempotency-Key (job-request.ts idempotencyScope). */
  idempotencyScope?: string
  /** What a repeat with the same key must match (requestFingerprint). */
  fingerprint: string
  /** The Idempotency-Key sent to legacy: the client's key, else the job id. */
  clientKey?: string
  maxAttempts: number
  backoff: { baseMs: number, maxMs: number }
  /** Epoch ms after which an undelivered job is dead-lettered. */
  deadlineAt: number
}

export interface JobResult {
  status: number
  headers: Record<string, string>
  body: string
  truncated: boolean
}

export interface Job {
  id: string
  routeId: string
  state: JobState
  method: string
  target: string
  headers: HeaderMap
  body: Buffer
  fingerprint: string
  /** The Idempotency-Key legacy receives on every attempt (redelivery after a crash included). */
  deliveryKey: string
  attempts: number
  maxAttempts: number
  backoff: { baseMs: number, maxMs: number }
  deadlineAt: number
  nextAttemptAt: number
  createdAt: number
  updatedAt: number
  finishedAt: number | null
  lastError: string | null
  result: JobResult | null
}

export type EnqueueResult =
  | { kind: 'created', job: Job }
  | { kind: 'existing', job: Job }
  /** The key was used before with another request. */
  | { kind: 'mismatch', job: Job }

export interface ListQuery { state?: JobState, limit?: number }

export interface JobQueue {
  /** Resolves only after the job is stored durably. Rejects with a typed 503 error otherwise. */
  enqueue (job: NewJob): Promise<EnqueueResult>
  get (id: string): Promise<Job | undefined>
  /** Due queued jobs (next attempt <= now), marked delivering atomically, claimed by this consumer. */
  claimDue (now: number, limit: number): Promise<Job[]>
  /** Epoch ms of the earliest queued job's next attempt (<= now when one is due), or undefined. */
  nextDueAt (): Promise<number | undefined>
  markDelivered (id: string, result: JobResult, now: number): Promise<void>
  markFailed (id: string, result: JobResult, now: number): Promise<void>
  /** A failed attempt: counted, back to queued for `nextAttemptAt`. */
  markRetry (id: string, error: string, nextAttemptAt: number, now: number): Promise<void>
  /** Back to queued without counting an attempt (shed, breaker open, shutdown). */
  release (id: string, reason: string | null, nextAttemptAt: number, now: number): Promise<void>
  markDead (id: string, error: string, now: number): Promise<void>
  /**
   * Crash recovery at start: jobs a dead consumer left `delivering` back to `queued`, due now.
   * SQLite (one process) takes every `delivering` job; Redis takes this consumer's own pending
   * entries and those of other consumers idle longer than its claim timeout. Returns how many.
   */
  recoverInflight (now: number): Promise<number>
  list (query: ListQuery): Promise<Job[]>
  counts (): Promise<Record<JobState, number>>
  /**
   * `createdAt` (epoch ms, when the client got its 202) of the oldest job in state `queued`, or
   * undefined when none is. One indexed lookup, never a scan: it backs a gauge read per scrape.
   */
  oldestQueuedAt (): Promise<number | undefined>
  /** An operator's replay: a dead or failed job back to queued with fresh attempts. */
  retry (id: string, now: number): Promise<Job | undefined>
  /** Deletes dead jobs; returns how many. */
  purgeDead (): Promise<number>
  /**
   * Retention: deletes at most `limit` settled jobs (delivered, failed) that settled at or before
   * `settledBefore` (epoch ms), each with everything that refers to it (idempotency key; in Redis
   * its indexes and any stream entry). Dead jobs are never swept (purgeDead is the operator's).
   * One call is one short atomic step; the caller repeats it while it returns `limit`.
   */
  sweepSettled (settledBefore: number, limit: number): Promise<number>
  /** What the store takes (bytes): SQLite the database file and its WAL; Redis an estimate of the queue's keys. */
  storeBytes (): Promise<number>
  close (): Promise<void>
}
