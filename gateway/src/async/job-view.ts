// The public and admin JSON shape of a job. The stored request body and headers are not shown
// on the public status endpoint (only the job's owner holds the id, but the body may be large).
import type { Job } from './job-queue.port.js'

const iso = (ms: number | null): string | null => ms === null ? null : new Date(ms).toISOString()

export interface JobView {
  id: string
  route: string
  state: Job['state']
  method: string
  path: string
  attempts: number
  maxAttempts: number
  createdAt: string
  updatedAt: string
  nextAttemptAt: string | null
  finishedAt: string | null
  deadlineAt: string
  lastError: string | null
  /** Legacy's answer: when delivered, or failed with a permanent 4xx. */
  result: Job['result']
}

export function jobView (job: Job): JobView {
  return {
    id: job.id,
    route: job.routeId,
    state: job.state,
    method: job.method,
    path: job.target,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    createdAt: iso(job.createdAt)!,
    updatedAt: iso(job.updatedAt)!,
    nextAttemptAt: job.state === 'queued' ? iso(job.nextAttemptAt) : null,
    finishedAt: iso(job.finishedAt),
    deadlineAt: iso(job.deadlineAt)!,
    lastError: job.lastError,
    result: job.result
  }
}

/** The admin view adds what operators need to judge a replay (headers are already secret-free). */
export function adminJobView (job: Job): JobView & { deliveryKey: string, headers: Job['headers'], bodyBytes: number } {
  return { ...jobView(job), deliveryKey: job.deliveryKey, headers: job.headers, bodyBytes: job.body.length }
}
