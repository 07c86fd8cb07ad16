// The whole per-request target decision of the ops issue, pure: a route without a Lambda always
// goes to legacy; a valid tester override wins next; then the route state's target; a lambda
// target with rolloutPercent < 100 splits by the sticky bucket (random without a key).
// select-target.ts calls this once routes carry rollout settings.
import { chooseRolloutSide } from './rollout-bucket.js'
import type { RolloutTarget } from './rollout-bucket.js'
import { extractStickyKey } from './rollout-key.js'
import type { StickySource, StickySpec } from './rollout-key.js'

export interface RolloutRoute {
  id: string
  /** False when the route has no lambda block: it can only go to legacy. */
  hasLambda: boolean
  /** Parsed `rollout.stickyBy`; undefined = no key (random per request below 100%). */
  sticky: StickySpec | undefined
}

export interface RolloutState {
  target: RolloutTarget
  rolloutPercent: number
}

export type DecisionVia = 'no-lambda' | 'override' | 'state' | 'rollout'

export interface TargetDecision {
  target: RolloutTarget
  /** Why: for logs and the x-gateway-* debugging headers. */
  via: DecisionVia
}

/** The target of a route without a Lambda block in state `target`: never the Lambda. */
export function withoutLambda<T extends string> (target: T): Exclude<T, 'lambda'> | 'legacy' {
  return target === 'lambda' ? 'legacy' : target as Exclude<T, 'lambda'>
}

export function decideTarget (route: RolloutRoute, state: RolloutState, request: StickySource,
  options: { override?: RolloutTarget | undefined, random: () => number }): TargetDecision {
  // No Lambda block: never the Lambda (a flip to it is refused at the admin API; this is the last
  // guard), but a target of another kind (targets/target.port.ts) is still the route's own.
  if (!route.hasLambda) return { target: withoutLambda(state.target), via: 'no-lambda' }
  if (options.override !== undefined) return { target: options.override, via: 'override' }
  if (state.target === 'legacy' || state.rolloutPercent >= 100) return { target: state.target, via: 'state' }
  const stickyKey = route.sticky === undefined ? undefined : extractStickyKey(route.sticky, request)
  const target = chooseRolloutSide({ routeId: route.id, percent: state.rolloutPercent, stickyKey, random: options.random })
  return { target, via: 'rollout' }
}
