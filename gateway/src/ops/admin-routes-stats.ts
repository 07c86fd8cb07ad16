// The per-route figures of `gatewayctl status`, read from the gateway's own Prometheus metrics
// (contract names): requests and 5xx share from gateway_requests_total{route,target,status},
// p95 from the gateway_request_duration_seconds{route,target} histogram, interpolated inside its
// bucket. Cumulative since the gateway started (what the registry holds), not a sliding window.
import type { RouteStats, RouteStatsProvider, SideStats } from './admin-routes-view.js'

interface MetricValue { labels: Record<string, string | number | undefined>, value: number, metricName?: string }
/** The part of a prom-client Counter/Histogram used here. */
export interface MetricSource { get: () => Promise<{ values: MetricValue[] }> | { values: MetricValue[] } }

type Side = 'legacy' | 'lambda'
const isSide = (v: unknown): v is Side => v === 'legacy' || v === 'lambda'

function emptySide (): SideStats { return { requests: 0, errorRate: 0, p95Ms: null } }

/** p-quantile in ms from cumulative buckets [(upper bound in s, count)], Infinity last. */
export function quantileMs (buckets: Array<[number, number]>, q: number): number | null {
  const sorted = [...buckets].sort((a, b) => a[0] - b[0])
  const total = sorted.at(-1)?.[1] ?? 0
  if (total === 0) return null
  const rank = q * total
  let prevBound = 0
  let prevCount = 0
  for (const [bound, count] of sorted) {
    if (count >= rank) {
      if (!Number.isFinite(bound)) return prevBound * 1000 // beyond the last bucket: its lower edge
      const within = count === prevCount ? 0 : (rank - prevCount) / (count - prevCount)
      return (prevBound + (bound - prevBound) * within) * 1000
    }
    prevBound = Number.isFinite(bound) ? bound : prevBound
    prevCount = count
  }
  return prevBound * 1000
}

export function routeStatsFromMetrics (metrics: { requests: MetricSource, requestDuration: MetricSource }): RouteStatsProvider {
  return async () => {
    const out: Record<string, RouteStats> = {}
    const errors: Record<string, Record<Side, number>> = {}
    const side = (route: string, target: Side): SideStats => {
      out[route] ??= { legacy: emptySide(), lambda: emptySide() }
      return out[route][target]
    }
    for (const v of (await metrics.requests.get()).values) {
      const { route, target, status } = v.labels
      if (typeof route !== 'string' || !isSide(target)) continue
      side(route, target).requests += v.value
      errors[route] ??= { legacy: 0, lambda: 0 }
      if (Number(status) >= 500) errors[route][target] += v.value
    }
    const buckets = new Map<string, Array<[number, number]>>()
    for (const v of (await metrics.requestDuration.get()).values) {
      const { route, target, le } = v.labels
      if (!v.metricName?.endsWith('_bucket') || typeof route !== 'string' || !isSide(target) || le === undefined) continue
      const key = `${route}\u0000${target}`
      const list = buckets.get(key) ?? []
      list.push([le === '+Inf' ? Infinity : Number(le), v.value])
      buckets.set(key, list)
    }
    for (const [key, list] of buckets) {
      const [route, target] = key.split('\u0000') as [string, Side]
      const p95 = quantileMs(list, 0.95)
      side(route, target).p95Ms = p95 === null ? null : Math.round(p95 * 10) / 10
    }
    for (const [route, stats] of Object.entries(out)) {
      for (const target of ['legacy', 'lambda'] as const) {
        const s = stats[target]
        s.errorRate = s.requests === 0 ? 0 : (errors[route]?.[target] ?? 0) / s.requests
      }
    }
    return out
  }
}
