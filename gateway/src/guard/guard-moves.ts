// The two changes the guard makes to a route, each through the route-state port (persisted and
// audited with who = `guard` and the figures in the reason), counted and logged: set a failing
// rollout back, or advance the step plan one step.
import type { Counter } from 'prom-client'
import { rollbackReason, roundedStats, stepReason } from './guard-figures.js'
import type { Breach } from './guard-figures.js'
import type { GuardLogger, RouteStatePort } from './guard-ports.js'
import { DEFAULT_STEP_INTERVAL_MS, restartWindow } from './route-run.js'
import type { RouteRun } from './route-run.js'

export interface GuardMoveDeps {
  state: RouteStatePort
  log: GuardLogger
  rollbacks: Counter<'route'>
  steps: Counter<'route'>
  now: () => number
}

export async function rollBack (d: GuardMoveDeps, routeId: string, r: RouteRun, percent: number, b: Breach): Promise<void> {
  const stats = r.window.stats()
  // last-good: the highest percentage below this one that was judged healthy, else legacy.
  const lastGood = r.cfg.rollbackTo === 'last-good' ? Math.max(-1, ...[...r.healthy].filter(p => p < percent)) : -1
  const patch = lastGood > 0 ? { rolloutPercent: lastGood } : { target: 'legacy' as const }
  await d.state.patch(routeId, patch, { who: 'guard', reason: rollbackReason(b, percent, stats) })
  r.rollbacks++
  d.rollbacks.inc({ route: routeId })
  d.log.warn({ routeId, breach: b, rolloutPercent: percent, patch, stats: roundedStats(stats) }, 'guard rolled back a rollout')
  // Stop the step plan and judge the new setting on fresh outcomes only.
  restartWindow(r)
  r.stepSince = Number.POSITIVE_INFINITY
}

/** The next step of the plan once the current one has been healthy for a whole interval. */
export async function maybeAdvance (d: GuardMoveDeps, routeId: string, r: RouteRun, percent: number): Promise<void> {
  const steps = r.cfg.steps
  const interval = r.cfg.stepIntervalMs ?? DEFAULT_STEP_INTERVAL_MS
  if (steps === undefined || d.now() - r.stepSince < interval) return
  const next = steps.find(s => s > percent)
  if (next === undefined) return
  const stats = r.window.stats()
  await d.state.patch(routeId, { rolloutPercent: next }, { who: 'guard', reason: stepReason(percent, next, interval, stats) })
  d.steps.inc({ route: routeId })
  d.log.info({ routeId, from: percent, to: next, stats: roundedStats(stats) }, 'guard advanced a rollout step')
  r.stepSince = d.now()
  restartWindow(r)
}
