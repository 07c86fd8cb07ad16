// Target selection: a pure function of (route, its runtime state, the request). Today the state's
// target (set by ops flips, defaulting to the config) decides; later issues add rollout
// percentages and a sticky key as optional fields here, without changing any caller.
import type { RouteConfig, TargetName } from '../config/schema.js'

/** Runtime state of one route (admin flips). Later: `rolloutPercent`, shadow, overrides. */
export interface RouteRuntimeState {
  /** Current target; undefined → the route's configured `target`. */
  readonly target?: TargetName
}

/** What target selection may look at in a request (later: a sticky key from a header/cookie). */
export interface TargetRequest {
  readonly method: string
  /** Normalised path. */
  readonly path: string
  /** Request headers, lower-case names (as Node gives them). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
}

/** The state a route starts with: its configured target. */
export function initialRouteState (route: RouteConfig): RouteRuntimeState {
  return { target: route.target }
}

/**
 * 'legacy' or 'lambda' for this request. A route without a `lambda` block can only go to legacy,
 * whatever its state says (a flip to lambda is refused at the admin API; this is the last guard).
 */
// `request` is unused until rollout percentages arrive; callers pass it already.
export function selectTarget (route: RouteConfig, state: RouteRuntimeState, request: TargetRequest): TargetName {
  const target = state.target ?? route.target
  if (target === 'lambda' && route.lambda === undefined) return 'legacy'
  return target
}
