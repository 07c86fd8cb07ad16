// The admin API's response shapes as gatewayctl reads them (see gateway/src/ops/admin-routes-view.ts).
// Kept as plain types here so the CLI bundle does not pull in the server side.

export type ValueSource = 'config' | 'runtime'

export interface SideStats { requests: number, errorRate: number, p95Ms: number | null }

export interface RouteView {
  id: string
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

export interface AuditEntry {
  id: string
  time: string
  who: string
  action: string
  routeId: string | null
  before: unknown
  after: unknown
  reason: string | null
}

export interface UnusedItem { id: string, lastHit: string | null, idleDays: number }
export interface UnusedReport { days: number, now: string, firstStartedAt: string, routes: UnusedItem[], functions: UnusedItem[] }
