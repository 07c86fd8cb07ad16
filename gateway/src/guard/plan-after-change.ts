// What a route-state change (by an operator, this guard, or another replica's guard) means for the
// step plan. The rule reads only the states, never who changed them, so every replica that sees
// the same change reacts the same way:
// - a flip to lambda starts a new rollout: step timer restarts, the last good percentage is forgotten;
// - a raise restarts the step timer from the new percentage (a step, or an operator pushing on);
// - a lowering or a flip to legacy (a rollback, by anyone) stops the plan until the next raise/flip.
// Any change also restarts the window: the new setting is judged on fresh outcomes only. Pure.
export interface Seen { target: 'legacy' | 'lambda', rolloutPercent: number }
export type PlanChange = 'unchanged' | 'new-rollout' | 'restart' | 'stop'

export function planAfterChange (prev: Seen | undefined, next: Seen): PlanChange {
  if (prev !== undefined && prev.target === next.target && prev.rolloutPercent === next.rolloutPercent) return 'unchanged'
  if (next.target === 'legacy') return 'stop'
  if (prev === undefined || prev.target === 'legacy') return 'new-rollout'
  return next.rolloutPercent > prev.rolloutPercent ? 'restart' : 'stop'
}
