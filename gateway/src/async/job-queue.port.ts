// The durable job queue as the rest of the async integration sees it. The embedded default is
// SQLite (sqlite-job-queue.ts); a Redis stream adapter can implement the same port.
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
  /** Resolves only after the job is committed (fsync'd). Rejects with a typed 503 error otherwise. */
  enqueue (job: NewJob): Promise<EnqueueResult>
  get (id: string): Job | undefined
  /** Due queued jobs (next attempt <= now), marked delivering atomically. */
  claimDue (now: number, limit: number): Job[]
  /** Epoch ms of the earliest queued job's next attempt, or undefined. */
  nextDueAt (): number | undefined
  markDelivered (id: string, result: JobResult, now: number): void
  markFailed (id: string, result: JobResult, now: number): void
  /** A failed attempt: counted, back to queued for `nextAttemptAt`. */
  markRetry (id: string, error: string, nextAttemptAt: number, now: number): void
  /** Back to queued without counting an attempt (shed, breaker open, shutdown). */
  release (id: string, reason: string | null, nextAttemptAt: number, now: number): void
  markDead (id: string, error: string, now: number): void
  /** Crash recovery: every `delivering` job back to `queued`, due now. Returns how many. */
  recoverInflight (now: number): number
  list (query: ListQuery): Job[]
  counts (): Record<JobState, number>
  /** An operator's replay: a dead or failed job back to queued with fresh attempts. */
  retry (id: string, now: number): Job | undefined
  /** Deletes dead jobs; returns how many. */
  purgeDead (): number
  close (): void
}
