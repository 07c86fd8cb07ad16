// Target selection: a pure function of (route, its runtime state, the request). It delegates to
// the ops decision (rollout-decide.ts): no lambda block → legacy; a valid tester override; the
// state's target (ops flips, defaulting to the config); a sticky rollout split below 100 %.
import type { RouteConfig, TargetName } from '../config/schema.js'
import { DEFAULT_ROLLOUT_PERCENT } from '../ops/ops.schema.js'
import { decideTarget, withoutLambda } from './rollout-decide.js'
import type { RolloutRoute } from './rollout-decide.js'
import { parseStickyBy } from './rollout-key.js'

/** Runtime state of one route (admin flips, rollout). Absent fields → the route's config. */
export interface RouteRuntimeState {
  /** Current target; undefined → the route's configured `target`. */
  readonly target?: TargetName
  /** 0..100 share sent to the Lambda while target is lambda; undefined → `rollout.percent` (100). */
  readonly rolloutPercent?: number
}

/** What target selection may look at in a request. */
export interface TargetRequest {
  readonly method: string
  /** Normalised path. */
  readonly path: string
  /** Request headers, lower-case names (as Node gives them). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  /** Client address (sticky key `ip`). */
  readonly ip?: string | undefined
}

export interface SelectOptions {
  /** A verified tester override (tester-override.ts testerOverrideTarget); undefined = none. */
  readonly override?: TargetName | undefined
  /** Random source for key-less requests below 100 %; default Math.random. */
  readonly random?: () => number
}

// Route configs are frozen objects: parse each one's stickyBy once, not per request.
const compiled = new WeakMap<RouteConfig, RolloutRoute>()

function rolloutRoute (route: RouteConfig): RolloutRoute {
  let r = compiled.get(route)
  if (r === undefined) {
    const stickyBy = route.rollout?.stickyBy
    r = { id: route.id, hasLambda: route.lambda !== undefined, sticky: stickyBy === undefined ? undefined : parseStickyBy(stickyBy) }
    compiled.set(route, r)
  }
  return r
}

/**
 * 'legacy' or 'lambda' for this request. A route without a `lambda` block can only go to legacy,
 * whatever its state says (a flip to lambda is refused at the admin API; this is the last guard).
 */
export function selectTarget (route: RouteConfig, state: RouteRuntimeState, request: TargetRequest, options: SelectOptions = {}): TargetName {
  const decision = decideTarget(rolloutRoute(route), {
    target: state.target ?? route.target,
    rolloutPercent: state.rolloutPercent ?? route.rollout?.percent ?? DEFAULT_ROLLOUT_PERCENT
  }, { headers: request.headers, ip: request.ip }, { override: options.override, random: options.random ?? Math.random })
  return decision.target
}

/**
 * The target of a route without a `lambda` block (selectTarget's answer for any request): no
 * override or split applies, so the routing hook asks this without building the request's facts.
 */
export function targetWithoutLambda (route: RouteConfig, state: RouteRuntimeState): TargetName {
  return withoutLambda(state.target ?? route.target)
}
