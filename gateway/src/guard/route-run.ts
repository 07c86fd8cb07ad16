// The guard's state for one guarded route: its window, when to judge next, the percentages
// judged healthy, the step plan's clock and what the admin view shows. No I/O: the controller
// owns the timers and the route-state writes.
import type { GuardVerdict } from './evaluate-guard.js'
import type { GuardRouteConfig } from './guard-ports.js'
import { planAfterChange } from './plan-after-change.js'
import type { Seen } from './plan-after-change.js'
import { RouteWindow } from './window-stats.js'

export const DEFAULT_STEP_INTERVAL_MS = 300_000
const MAX_HEALTHY = 64

export interface RouteRun {
  cfg: GuardRouteConfig
  window: RouteWindow
  /** Judge after this many Lambda outcomes or comparisons (amortises the sort). */
  checkEvery: number
  sinceCheck: number
  /** performance.now() of the last window restart: requests routed before it are not judged. */
  freshSince: number
  scheduled: boolean
  busy: boolean
  /** Percentages judged healthy in this rollout (few: the steps, or what operators set). */
  healthy: Set<number>
  /** When the current step began; +Infinity = plan stopped (after a rollback or a lowering). */
  stepSince: number
  seen: Seen | undefined
  lastVerdict: { at: number, verdict: GuardVerdict } | null
  rollbacks: number
  lastFailureLog: number
}

export interface GuardView {
  enabled: true
  window: number
  minSamples: number
  samples: { legacy: number, lambda: number, comparisons: number }
  lastVerdict: { at: string, verdict: GuardVerdict } | null
  rollbacks: number
  plan: { steps: number[], stepIntervalMs: number, nextStepAt: string | null } | null
}

export function newRouteRun (cfg: GuardRouteConfig, seen: Seen | undefined, now: number): RouteRun {
  return {
    cfg,
    window: new RouteWindow(cfg.window),
    checkEvery: checkEveryFor(cfg),
    sinceCheck: 0,
    freshSince: performance.now(),
    scheduled: false,
    busy: false,
    healthy: new Set(),
    stepSince: now,
    seen,
    lastVerdict: null,
    rollbacks: 0,
    lastFailureLog: Number.NEGATIVE_INFINITY
  }
}

/** A reload with the same window size: new thresholds, same outcomes. */
export function reconfigureRun (r: RouteRun, cfg: GuardRouteConfig): void {
  r.cfg = cfg
  r.checkEvery = checkEveryFor(cfg)
}

export function markHealthy (r: RouteRun, percent: number): void {
  if (r.healthy.size < MAX_HEALTHY) r.healthy.add(percent)
}

/** A change by anyone: judge the new setting on fresh outcomes; the plan follows planAfterChange. */
export function followChange (r: RouteRun, next: Seen, now: number): void {
  const plan = planAfterChange(r.seen, next)
  r.seen = next
  if (plan === 'unchanged') return
  restartWindow(r)
  r.sinceCheck = 0
  r.stepSince = plan === 'stop' ? Number.POSITIVE_INFINITY : now
  if (plan === 'new-rollout') r.healthy.clear()
}

export function restartWindow (r: RouteRun): void {
  r.window.reset()
  r.freshSince = performance.now()
}

export function viewOf (r: RouteRun): GuardView {
  const steps = r.cfg.steps
  const interval = r.cfg.stepIntervalMs ?? DEFAULT_STEP_INTERVAL_MS
  return {
    enabled: true,
    window: r.cfg.window,
    minSamples: r.cfg.minSamples,
    samples: { legacy: r.window.legacy.samples, lambda: r.window.lambda.samples, comparisons: r.window.compares.samples },
    lastVerdict: r.lastVerdict === null ? null : { at: new Date(r.lastVerdict.at).toISOString(), verdict: r.lastVerdict.verdict },
    rollbacks: r.rollbacks,
    plan: steps === undefined ? null : { steps, stepIntervalMs: interval, nextStepAt: Number.isFinite(r.stepSince) ? new Date(r.stepSince + interval).toISOString() : null }
  }
}

/** Judge every 1/20 of the window (at least every 10 outcomes): the sort stays ~20·log(window) per request. */
function checkEveryFor (cfg: GuardRouteConfig): number {
  return Math.max(10, Math.min(cfg.minSamples, Math.floor(cfg.window / 20)))
}
