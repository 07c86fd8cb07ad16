// The JSON shape of a route in the admin API (`GET /admin/routes`), built from the route state,
// the last-hit tracker and what the app supplies: per-side stats and breaker states.
import type { RouteConfigState, EffectiveRouteState } from './route-state.js'
import type { RouteDefinition, RouteStateService } from './route-state-service.js'

export type BreakerState = 'closed' | 'half-open' | 'open'

export interface BreakerInfo {
  /** Named after the upstream: `legacy`, `lambda:<function>`. */
  id: string
  state: BreakerState
  [extra: string]: unknown
}

/** The app's breaker registry as the admin API sees it; open/close return false for an unknown id. */
export interface BreakerControl {
  list: () => BreakerInfo[] | Promise<BreakerInfo[]>
  open: (id: string) => boolean | Promise<boolean>
  close: (id: string) => boolean | Promise<boolean>
}

/** Traffic figures of one side of a route over the app's stats window. */
export interface SideStats {
  requests: number
  /** 0..1: share of 5xx answers and gateway-made errors. */
  errorRate: number
  /** 95th percentile latency in ms, null without samples. */
  p95Ms: number | null
}

export interface RouteStats { legacy: SideStats, lambda: SideStats }

/** Per-route figures keyed by route id, fetched once per admin request (see admin-routes-stats.ts). */
export type RouteStatsProvider = () => Record<string, RouteStats> | Promise<Record<string, RouteStats>>

export interface RouteView extends EffectiveRouteState {
  id: string
  /** The route's version, also sent as the ETag of GET /admin/routes/:id; PATCH takes it as If-Match. */
  version: string
  methods: string[]
  path: string
  lambdaFunction: string | null
  config: RouteConfigState
  lastHit: string | null
  stats: RouteStats | null
  breakers: { legacy: BreakerState | null, lambda: BreakerState | null }
}

export function breakerIdsOf (def: RouteDefinition): { legacy: string, lambda: string | null } {
  return { legacy: 'legacy', lambda: def.lambdaFunction === undefined ? null : `lambda:${def.lambdaFunction}` }
}

export function routeView (state: RouteStateService, def: RouteDefinition, breakers: BreakerInfo[], stats: Record<string, RouteStats> | undefined): RouteView {
  const eff = state.get(def.id)!
  const hit = state.lastHit.snapshot().routes[def.id]
  const ids = breakerIdsOf(def)
  const stateOf = (id: string | null): BreakerState | null => id === null ? null : (breakers.find(b => b.id === id)?.state ?? null)
  return {
    id: def.id,
    version: state.version(def.id)!,
    methods: def.methods,
    path: def.path,
    lambdaFunction: def.lambdaFunction ?? null,
    ...eff,
    config: def.config,
    lastHit: hit === undefined ? null : new Date(hit).toISOString(),
    stats: stats?.[def.id] ?? null,
    breakers: { legacy: stateOf(ids.legacy), lambda: stateOf(ids.lambda) }
  }
}
