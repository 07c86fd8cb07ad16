// The admin API's response shapes as gatewayctl reads them (see gateway/src/ops/admin-routes-view.ts).
// Kept as plain types here so the CLI bundle does not pull in the server side.

export type ValueSource = 'config' | 'runtime'

export interface SideStats { requests: number, errorRate: number, p95Ms: number | null }

export interface RouteView {
  id: string
  /** Strong ETag of the route's settings; sent back as If-Match on PATCH. */
  version: string
  methods: string[]
  path: string
  lambdaFunction: string | null
  target: 'legacy' | 'lambda'
  rolloutPercent: number
  shadow: { enabled: boolean }
  sources: { target: ValueSource, rolloutPercent: ValueSource, 'shadow.enabled': ValueSource }
  lastHit: string | null
  stats: { legacy: SideStats, lambda: SideStats } | null
  breakers: { legacy: string | null, lambda: string | null }
}

// The audit entry is the server's own type (type-only: erased from the CLI bundle).
export type { AuditEntry } from '../ops/audit-log.js'

export interface UnusedItem { id: string, lastHit: string | null, idleDays: number }
export interface UnusedReport { days: number, now: string, firstStartedAt: string, routes: UnusedItem[], functions: UnusedItem[] }
