// The jobs table of the SQLite queue and the mapping of its rows to Job values.
import type { Job, JobState } from './job-queue.port.js'

export const JOBS_DDL = `
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY,
  route_id TEXT NOT NULL,
  state TEXT NOT NULL,
  method TEXT NOT NULL,
  target TEXT NOT NULL,
  headers TEXT NOT NULL,
  body BLOB NOT NULL,
  idem_scope TEXT,
  fingerprint TEXT NOT NULL,
  delivery_key TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  max_attempts INTEGER NOT NULL,
  backoff_base_ms INTEGER NOT NULL,
  backoff_max_ms INTEGER NOT NULL,
  deadline_at INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  finished_at INTEGER,
  last_error TEXT,
  result_status INTEGER,
  result_headers TEXT,
  result_body TEXT,
  result_truncated INTEGER
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS jobs_idem_scope ON jobs (idem_scope) WHERE idem_scope IS NOT NULL;
CREATE INDEX IF NOT EXISTS jobs_due ON jobs (state, next_attempt_at);
CREATE INDEX IF NOT EXISTS jobs_created ON jobs (created_at);
CREATE INDEX IF NOT EXISTS jobs_settled ON jobs (state, finished_at);
CREATE INDEX IF NOT EXISTS jobs_state_created ON jobs (state, created_at);
`

export interface JobRow {
  id: string
  route_id: string
  state: JobState
  method: string
  target: string
  headers: string
  body: Buffer
  idem_scope: string | null
  fingerprint: string
  delivery_key: string
  attempts: number
  max_attempts: number
  backoff_base_ms: number
  backoff_max_ms: number
  deadline_at: number
  next_attempt_at: number
  created_at: number
  updated_at: number
  finished_at: number | null
  last_error: string | null
  result_status: number | null
  result_headers: string | null
  result_body: string | null
  result_truncated: number | null
}

export function rowToJob (row: JobRow): Job {
  return {
    id: row.id,
    routeId: row.route_id,
    state: row.state,
    method: row.method,
    target: row.target,
    headers: JSON.parse(row.headers) as Job['headers'],
    body: row.body,
    fingerprint: row.fingerprint,
    deliveryKey: row.delivery_key,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    backoff: { baseMs: row.backoff_base_ms, maxMs: row.backoff_max_ms },
    deadlineAt: row.deadline_at,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
    lastError: row.last_error,
    result: row.result_status === null
      ? null
      : {
          status: row.result_status,
          headers: JSON.parse(row.result_headers ?? '{}') as Record<string, string>,
          body: row.result_body ?? '',
          truncated: row.result_truncated === 1
        }
  }
}
