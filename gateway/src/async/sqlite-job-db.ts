// The SQLite queue's two connections to jobs.db and every statement, prepared once. Intake and
// the admin calls use `db` (synchronous=FULL: an enqueue is on disk before its 202); the worker's
// bookkeeping uses `wdb` (synchronous=NORMAL: in WAL mode that survives a process crash and only a
// power loss can undo its last commits — which at worst redelivers a job with the same
// Idempotency-Key, so legacy replays instead of billing twice).
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { Database as Db, Statement } from 'better-sqlite3'
import { JOBS_DDL } from './sqlite-job-rows.js'

export interface JobDatabase {
  db: Db
  wdb: Db
  file: string
  s: ReturnType<typeof prepareStatements>
}

export function openJobDatabase (dataDir: string): JobDatabase {
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, 'jobs.db')
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('busy_timeout = 5000')
  db.exec(JOBS_DDL)
  const wdb = new Database(file)
  wdb.pragma('synchronous = NORMAL')
  wdb.pragma('busy_timeout = 5000')
  return { db, wdb, file, s: prepareStatements(db, wdb) }
}

/** Keeps the statement names (no lookups that may be undefined) with the untyped Statement the queue used. */
const named = <K extends string>(statements: Record<K, Statement>): Record<K, Statement> => statements

function prepareStatements (db: Db, w: Db) {
  const open = "state IN ('queued','delivering')"
  return named({
    insert: db.prepare(`INSERT INTO jobs (id, route_id, state, method, target, headers, body, idem_scope, fingerprint,
      delivery_key, attempts, max_attempts, backoff_base_ms, backoff_max_ms, deadline_at, next_attempt_at, created_at, updated_at)
      VALUES (@id, @routeId, 'queued', @method, @target, @headers, @body, @idemScope, @fingerprint,
      @deliveryKey, 0, @maxAttempts, @baseMs, @maxMs, @deadlineAt, @now, @now, @now)`),
    byScope: db.prepare('SELECT * FROM jobs WHERE idem_scope = ?'),
    get: db.prepare('SELECT * FROM jobs WHERE id = ?'),
    countOpen: db.prepare(`SELECT COUNT(*) AS n FROM jobs WHERE ${open}`),
    due: w.prepare("SELECT * FROM jobs WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, created_at LIMIT ?"),
    claim: w.prepare("UPDATE jobs SET state = 'delivering', updated_at = ? WHERE id = ? AND state = 'queued'"),
    nextDue: w.prepare("SELECT MIN(next_attempt_at) AS t FROM jobs WHERE state = 'queued'"),
    finish: w.prepare(`UPDATE jobs SET state = @state, attempts = attempts + 1, updated_at = @now, finished_at = @now,
      result_status = @status, result_headers = @headers, result_body = @body, result_truncated = @truncated, last_error = @error
      WHERE id = @id AND state = 'delivering'`),
    retry: w.prepare(`UPDATE jobs SET state = 'queued', attempts = attempts + 1, last_error = @error,
      next_attempt_at = @at, updated_at = @now WHERE id = @id AND state = 'delivering'`),
    release: w.prepare(`UPDATE jobs SET state = 'queued', last_error = COALESCE(@error, last_error),
      next_attempt_at = @at, updated_at = @now WHERE id = @id AND state = 'delivering'`),
    dead: w.prepare(`UPDATE jobs SET state = 'dead', last_error = @error, updated_at = @now, finished_at = @now
      WHERE id = @id AND state IN ('queued','delivering')`),
    recover: w.prepare("UPDATE jobs SET state = 'queued', next_attempt_at = ?, updated_at = ? WHERE state = 'delivering'"),
    replay: db.prepare(`UPDATE jobs SET state = 'queued', attempts = 0, next_attempt_at = @now, deadline_at = @deadline,
      updated_at = @now, finished_at = NULL WHERE id = @id AND state IN ('dead','failed')`),
    purge: db.prepare("DELETE FROM jobs WHERE state = 'dead'"),
    // The idempotency scope goes with the row (its unique index entry), so nothing else refers to it.
    sweep: w.prepare(`DELETE FROM jobs WHERE rowid IN (SELECT rowid FROM jobs
      WHERE state IN ('delivered','failed') AND finished_at <= ? LIMIT ?)`),
    counts: db.prepare('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state'),
    listAll: db.prepare('SELECT * FROM jobs ORDER BY created_at DESC, id LIMIT ?'),
    listState: db.prepare('SELECT * FROM jobs WHERE state = ? ORDER BY created_at DESC, id LIMIT ?')
  })
}
