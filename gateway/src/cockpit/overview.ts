// The figures of the cockpit overview, computed from the time-series ring (pure: no I/O).
import { BUCKET_MS, BUCKETS } from './time-series.js'
import type { SideTotals, TrafficTimeSeries } from './time-series.js'

export interface CockpitRoute {
  id: string
  /** Bounded context: the route's lambda.context, else the first segment of its id (`users.get` → users). */
  context: string
  lambdaFunction?: string
  /** The route's configured rollout steps (rollout.steps), offered by the cockpit's rollout control. */
  steps?: number[]
}

/** Buckets summed into one point of the overview chart (1 minute). */
export const POINT_BUCKETS = 6
/** The routes table shows the last minute. */
export const RECENT_BUCKETS = 6

export interface ContextShare {
  name: string
  routes: string[]
  /** Start (epoch ms) of each 1-minute point, oldest first. */
  t: number[]
  /** Share (0..1) of the point's requests the Lambdas answered; null where there was no traffic. */
  lambdaShare: Array<number | null>
  hour: { requests: number, lambda: number }
}

export function contextOf (route: { id: string, lambda?: { context?: string | undefined } | undefined }): string {
  return route.lambda?.context ?? route.id.split('.')[0] ?? route.id
}

export function contextShares (ts: TrafficTimeSeries, routes: CockpitRoute[]): ContextShare[] {
  const byContext = new Map<string, string[]>()
  for (const r of routes) byContext.set(r.context, [...byContext.get(r.context) ?? [], r.id])
  const points = BUCKETS / POINT_BUCKETS
  return [...byContext].sort(([a], [b]) => a.localeCompare(b)).map(([name, ids]) => {
    const legacy = new Array<number>(points).fill(0)
    const lambda = new Array<number>(points).fill(0)
    let t: number[] = []
    for (const id of ids) {
      const s = ts.series(id)
      t = s.t
      s.t.forEach((_, i) => {
        const p = Math.floor(i / POINT_BUCKETS)
        legacy[p]! += s.legacy.requests[i]!
        lambda[p]! += s.lambda.requests[i]!
      })
    }
    const total = legacy.reduce((a, b) => a + b, 0) + lambda.reduce((a, b) => a + b, 0)
    return {
      name,
      routes: ids,
      t: t.filter((_, i) => i % POINT_BUCKETS === 0),
      lambdaShare: lambda.map((l, i) => l + legacy[i]! === 0 ? null : l / (l + legacy[i]!)),
      hour: { requests: total, lambda: lambda.reduce((a, b) => a + b, 0) }
    }
  })
}

export interface SideFigures { rps: number, errorRate: number, p95Ms: number | null }

function figures (t: SideTotals): SideFigures {
  return { rps: t.requests / (RECENT_BUCKETS * BUCKET_MS / 1000), errorRate: t.requests === 0 ? 0 : t.errors / t.requests, p95Ms: t.p95Ms }
}

/** Per route and side over the last minute: req/s, error share, p95. */
export function recentFigures (ts: TrafficTimeSeries, routes: CockpitRoute[]): Record<string, { legacy: SideFigures, lambda: SideFigures }> {
  const out: Record<string, { legacy: SideFigures, lambda: SideFigures }> = {}
  for (const r of routes) {
    out[r.id] = { legacy: figures(ts.totals(r.id, 'legacy', RECENT_BUCKETS)), lambda: figures(ts.totals(r.id, 'lambda', RECENT_BUCKETS)) }
  }
  return out
}
