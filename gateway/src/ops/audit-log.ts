// Audit log of every runtime change: append-only JSON Lines, one fsync per entry (changes are
// rare, durability matters more than throughput). Read newest-first with a limit. A torn last
// line (crash mid-append) is skipped on read, never fatal.
import { randomUUID } from 'node:crypto'
import { mkdir, open, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { AuditWriteError } from '../errors.js'

export interface AuditEntry {
  id: string
  /** ISO-8601 time of the change. */
  time: string
  /** Name of the admin token used (`admin` for GATEWAY_ADMIN_TOKEN). */
  who: string
  /** e.g. `route.patch`, `config.reload`, `breaker.open`, `breaker.close`. */
  action: string
  /** Route (or breaker) id the change applies to; null for global actions. */
  routeId: string | null
  before: unknown
  after: unknown
  reason: string | null
}

export type AuditInput = Omit<AuditEntry, 'id' | 'time'>

export interface AuditLog {
  append: (input: AuditInput) => Promise<AuditEntry>
  /** Newest first, at most `limit` entries. */
  list: (options?: { limit?: number }) => Promise<AuditEntry[]>
}

export interface AuditLogOptions {
  now?: () => number
  newId?: () => string
}

/** The one shape of an entry, whichever store keeps it (this file, distributed/redis-audit-log.ts). */
export function auditEntryOf (input: AuditInput, options: AuditLogOptions): AuditEntry {
  const now = options.now ?? Date.now
  return {
    id: (options.newId ?? randomUUID)(),
    time: new Date(now()).toISOString(),
    who: input.who,
    action: input.action,
    routeId: input.routeId,
    before: input.before ?? null,
    after: input.after ?? null,
    reason: input.reason
  }
}

export const DEFAULT_AUDIT_LIMIT = 50

export function createFileAuditLog (path: string, options: AuditLogOptions = {}): AuditLog {
  let chain: Promise<unknown> = Promise.resolve()
  return {
    append (input) {
      const entry = auditEntryOf(input, options)
      const run = chain.then(async () => {
        try {
          await mkdir(dirname(path), { recursive: true })
          const fh = await open(path, 'a', 0o600)
          try {
            await fh.write(JSON.stringify(entry) + '\n')
            await fh.sync()
          } finally {
            await fh.close()
          }
        } catch (err) {
          throw Object.assign(new AuditWriteError(path, (err as Error).message), { cause: err })
        }
        return entry
      })
      chain = run.catch(() => {})
      return run
    },
    async list ({ limit = DEFAULT_AUDIT_LIMIT } = {}) {
      let text: string
      try {
        text = await readFile(path, 'utf8')
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
        throw err
      }
      const out: AuditEntry[] = []
      const lines = text.split('\n')
      for (let i = lines.length - 1; i >= 0 && out.length < limit; i--) {
        const line = lines[i]!
        if (line === '') continue
        try { out.push(JSON.parse(line) as AuditEntry) } catch { /* torn line from a crash */ }
      }
      return out
    }
  }
}

/** In-memory audit log: tests and the CLI's integration tests. */
export function createMemoryAuditLog (options: AuditLogOptions = {}): AuditLog & { entries: AuditEntry[] } {
  const entries: AuditEntry[] = []
  return {
    entries,
    async append (input) {
      const entry = auditEntryOf(input, options)
      entries.push(entry)
      return structuredClone(entry)
    },
    async list ({ limit = DEFAULT_AUDIT_LIMIT } = {}) {
      return entries.slice(-limit).reverse().map(e => structuredClone(e))
    }
  }
}
