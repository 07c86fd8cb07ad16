// What every queue implementation does the same way for a new job: its id, and the Job value a
// fresh insert stored (returned without reading it back: the intake's hot path).
import { randomBytes } from 'node:crypto'
import type { Job, NewJob } from './job-queue.port.js'

/** 128 random bits, URL-safe: unguessable, so a job id is its own read capability. */
export function newJobId (): string {
  return randomBytes(16).toString('base64url')
}

/** The Job a fresh insert stored (no read-back: the intake's hot path). */
export function createdJob (id: string, job: NewJob, now: number): Job {
  return {
    id,
    routeId: job.routeId,
    state: 'queued',
    method: job.method,
    target: job.target,
    headers: job.headers,
    body: job.body,
    fingerprint: job.fingerprint,
    deliveryKey: job.clientKey ?? id,
    attempts: 0,
    maxAttempts: job.maxAttempts,
    backoff: job.backoff,
    deadlineAt: job.deadlineAt,
    nextAttemptAt: now,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    lastError: null,
    result: null
  }
}
