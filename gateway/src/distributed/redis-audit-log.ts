// The audit log (ops/audit-log.ts AuditLog) in Redis, shared by replicas: one list, newest
// first (LPUSH), trimmed to `maxEntries`. Durability is Redis's: run it with AOF (appendfsync
// everysec or always) when the audit trail matters. A failed append fails the admin change,
// which RouteStateService then rolls back.
import type { Redis } from 'ioredis'
import { AuditWriteError } from '../errors.js'
import { DEFAULT_AUDIT_LIMIT, auditEntryOf } from '../ops/audit-log.js'
import type { AuditEntry, AuditLog, AuditLogOptions } from '../ops/audit-log.js'

export interface RedisAuditLogOptions extends AuditLogOptions {
  client: Redis
  keyPrefix: string
  /** Entries kept; older ones are trimmed. Default 10000. */
  maxEntries?: number
}

export function createRedisAuditLog (options: RedisAuditLogOptions): AuditLog {
  const key = `${options.keyPrefix}audit`
  const max = options.maxEntries ?? 10_000
  return {
    async append (input) {
      const entry = auditEntryOf(input, options)
      try {
        const res = await options.client.multi().lpush(key, JSON.stringify(entry)).ltrim(key, 0, max - 1).exec()
        const failed = res?.find(([err]) => err !== null)
        if (res === null || failed !== undefined) throw failed?.[0] ?? new Error('redis transaction aborted')
      } catch (err) {
        throw Object.assign(new AuditWriteError(key, (err as Error).message), { cause: err })
      }
      return entry
    },
    async list ({ limit = DEFAULT_AUDIT_LIMIT } = {}) {
      const rows = await options.client.lrange(key, 0, Math.max(0, limit - 1))
      const out: AuditEntry[] = []
      for (const row of rows) {
        try { out.push(JSON.parse(row) as AuditEntry) } catch { /* a foreign value: skip, never fatal */ }
      }
      return out
    }
  }
}
