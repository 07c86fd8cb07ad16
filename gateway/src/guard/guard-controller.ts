// I/O edge of the guard: feeds outcomes into per-route windows, and on a breach during a rollout
// sets the route back (legacy or last good percentage) through the route-state port — which
// persists and audits the change with who = `guard` and the tripping figures in the reason.
// Optionally advances a step plan while the guard holds. Time comes from an injectable clock.
//
// Cost on the request path: `recordOutcome` is a Map lookup and a write into preallocated rings;
// the judgement (a sort of the window) runs every `checkEvery` Lambda outcomes (deferred with
// setImmediate, so never inside the response) and on a timer (`tickMs`) for the step plan and
// quiet routes.
import { Counter } from 'prom-client'
import type { Registry } from 'prom-client'
import { evaluateGuard } from './evaluate-guard.js'
import type { GuardThresholds, GuardVerdict } from './evaluate-guard.js'
import { RouteWindow } from './window-stats.js'
import type { Side } from './window-stats.js'
import { rollbackReason, roundedStats, stepReason } from './guard-figures.js'
import type { Breach } from './guard-figures.js'
import { planAfterChange } from './plan-after-change.js'
import type { Seen } from './plan-after-change.js'

export interface GuardRouteConfig extends GuardThresholds {
  enabled: boolean
  window: number
  rollbackTo: 'legacy' | 'last-good'
  steps?: number[] | undefined
  stepIntervalMs?: number | undefined
}

/** The slice of ops' RouteStateService the guard needs. */
export interface RouteStatePort {
  get: (id: string) => { target: 'legacy' | 'lambda', rolloutPercent: number } | undefined
  patch: (id: string, patch: { target?: 'legacy' | 'lambda', rolloutPercent?: number }, meta: { who: string, reason: string | null }) => Promise<unknown>
  /** Changes by anyone (operator, this guard, another replica); the window and plan react to them. */
  onChange?: (listener: (changedIds: string[]) => void) => () => void
}

export interface GuardLogger { warn: (obj: object, msg: string) => void, info: (obj: object, msg: string) => void }

/** What a shadow comparison reports: `error` (no comparison was possible) does not count. */
export type ShadowResult = 'match' | 'mismatch' | 'error' | { match: boolean } | { result: 'match' | 'mismatch' | 'error' }

export interface GuardControllerOptions {
  routes: Record<string, GuardRouteConfig>
  state: RouteStatePort
  log: GuardLogger
  now?: () => number
  /** Registers gateway_guard_rollbacks_total and gateway_guard_steps_total here when given. */
  registry?: Registry
  /** Period of the timer judgement (step plan, quiet routes); default 250 ms. `start()` arms it. */
  tickMs?: number
}

export const DEFAULT_STEP_INTERVAL_MS = 300_000
const MAX_HEALTHY = 64

interface RouteRun {
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

export class GuardController {
  readonly rollbacks: Counter<'route'>
  readonly steps: Counter<'route'>
  private readonly runs = new Map<string, RouteRun>()
  private readonly now: () => number
  private timer: NodeJS.Timeout | undefined
  private unsubscribe: (() => void) | undefined
  private closed = false
  constructor (private readonly o: GuardControllerOptions) {
    this.now = o.now ?? Date.now
    const registers = o.registry === undefined ? [] : [o.registry]
    this.rollbacks = new Counter({ name: 'gateway_guard_rollbacks_total', help: 'Rollouts set back by the guard', labelNames: ['route'], registers })
    this.steps = new Counter({ name: 'gateway_guard_steps_total', help: 'Rollout steps advanced by the guard', labelNames: ['route'], registers })
    this.setRoutes(o.routes)
    this.unsubscribe = o.state.onChange?.(ids => { for (const id of ids) this.stateChanged(id) })
  }

  /** Config (re)load: keeps the window of a route whose window size is unchanged. */
  setRoutes (routes: Record<string, GuardRouteConfig>): void {
    for (const id of [...this.runs.keys()]) if (routes[id]?.enabled !== true) this.runs.delete(id)
    for (const [id, cfg] of Object.entries(routes)) {
      if (!cfg.enabled) continue
      const run = this.runs.get(id)
      if (run !== undefined && run.window.size === cfg.window) {
        run.cfg = cfg
        run.checkEvery = checkEveryFor(cfg)
        this.stateChanged(id) // the config may have moved the target or percentage
        continue
      }
      const st = this.o.state.get(id)
      this.runs.set(id, {
        cfg,
        window: new RouteWindow(cfg.window),
        checkEvery: checkEveryFor(cfg),
        sinceCheck: 0,
        freshSince: performance.now(),
        scheduled: false,
        busy: false,
        healthy: new Set(),
        stepSince: this.now(),
        seen: st === undefined ? undefined : { target: st.target, rolloutPercent: st.rolloutPercent },
        lastVerdict: null,
        rollbacks: 0,
        lastFailureLog: Number.NEGATIVE_INFINITY
      })
    }
  }

  /**
   * Hot path, once per answered routed request: the side that answered and how. `routedAt`
   * (performance.now() when it was routed) keeps requests routed under an earlier setting out
   * of the window of the current one.
   */
  recordOutcome (routeId: string, side: Side, status: number, latencyMs: number, routedAt?: number): void {
    const run = this.runs.get(routeId)
    if (run === undefined || (routedAt !== undefined && routedAt < run.freshSince)) return
    run.window.add(side, status, latencyMs)
    if (side === 'lambda' && ++run.sinceCheck >= run.checkEvery) this.schedule(routeId, run)
  }

  /** A shadow comparison of the route (the shadow dispatcher's onComparison). */
  recordShadow (routeId: string, result: ShadowResult): void {
    const run = this.runs.get(routeId)
    if (run === undefined) return
    const r = typeof result === 'string' ? result : 'match' in result ? (result.match ? 'match' : 'mismatch') : result.result
    if (r === 'error') return
    run.window.recordComparison(r === 'mismatch')
    if (++run.sinceCheck >= run.checkEvery) this.schedule(routeId, run)
  }

  /** Evaluates one route; rolls back or advances. Undefined when it is not in a rollout (or busy). */
  async check (routeId: string): Promise<GuardVerdict | undefined> {
    const r = this.runs.get(routeId)
    const st = this.o.state.get(routeId)
    if (r === undefined || st === undefined || r.busy || st.target !== 'lambda') return undefined
    const cfg = r.cfg
    const stats = r.window.stats()
    const verdict = evaluateGuard(stats, cfg)
    r.lastVerdict = { at: this.now(), verdict }
    if ('breach' in verdict) {
      r.busy = true
      try { await this.rollback(routeId, r, st.rolloutPercent, verdict.breach) } finally { r.busy = false }
      return verdict
    }
    if (verdict.reason === undefined) {
      if (r.healthy.size < MAX_HEALTHY) r.healthy.add(st.rolloutPercent)
      r.busy = true
      try { await this.maybeAdvance(routeId, r, st.rolloutPercent) } finally { r.busy = false }
    }
    return verdict
  }

  async tick (): Promise<void> {
    for (const id of [...this.runs.keys()]) await this.checkLogged(id)
  }

  /** Arms the judgement timer (unref'd: it never keeps the process alive). */
  start (): void {
    if (this.timer !== undefined || this.closed) return
    this.timer = setInterval(() => { this.tick().catch(() => {}) }, this.o.tickMs ?? 250)
    this.timer.unref()
  }

  close (): void {
    this.closed = true
    clearInterval(this.timer)
    this.timer = undefined
    this.unsubscribe?.()
  }

  view (routeId: string): GuardView | undefined {
    const r = this.runs.get(routeId)
    if (r === undefined) return undefined
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

  private schedule (routeId: string, run: RouteRun): void {
    run.sinceCheck = 0
    if (run.scheduled || this.closed) return
    run.scheduled = true
    setImmediate(() => {
      run.scheduled = false
      this.checkLogged(routeId).catch(() => {})
    })
  }

  private async checkLogged (routeId: string): Promise<void> {
    if (this.closed) return
    try {
      await this.check(routeId)
    } catch (err) {
      // E.g. the shared state is unreachable: nothing was changed; the next check (≤ tickMs)
      // tries again. Logged at most every 10 s per route so a long outage does not flood the log.
      const r = this.runs.get(routeId)
      const now = this.now()
      if (r !== undefined && now - r.lastFailureLog < 10_000) return
      if (r !== undefined) r.lastFailureLog = now
      this.o.log.warn({ routeId, err: (err as Error).message }, 'guard could not change the route state')
    }
  }

  /** A change by anyone: judge the new setting on fresh outcomes; the plan follows planAfterChange. */
  private stateChanged (routeId: string): void {
    const r = this.runs.get(routeId)
    const st = this.o.state.get(routeId)
    if (r === undefined || st === undefined) return
    const next: Seen = { target: st.target, rolloutPercent: st.rolloutPercent }
    const plan = planAfterChange(r.seen, next)
    r.seen = next
    if (plan === 'unchanged') return
    restartWindow(r)
    r.sinceCheck = 0
    r.stepSince = plan === 'stop' ? Number.POSITIVE_INFINITY : this.now()
    if (plan === 'new-rollout') r.healthy.clear()
  }

  private async rollback (routeId: string, r: RouteRun, percent: number, b: Breach): Promise<void> {
    const stats = r.window.stats()
    // last-good: the highest percentage below this one that was judged healthy, else legacy.
    const lastGood = r.cfg.rollbackTo === 'last-good' ? Math.max(-1, ...[...r.healthy].filter(p => p < percent)) : -1
    const patch = lastGood > 0 ? { rolloutPercent: lastGood } : { target: 'legacy' as const }
    await this.o.state.patch(routeId, patch, { who: 'guard', reason: rollbackReason(b, percent, stats) })
    r.rollbacks++
    this.rollbacks.inc({ route: routeId })
    this.o.log.warn({ routeId, breach: b, rolloutPercent: percent, patch, stats: roundedStats(stats) }, 'guard rolled back a rollout')
    // Stop the step plan and judge the new setting on fresh outcomes only.
    restartWindow(r)
    r.stepSince = Number.POSITIVE_INFINITY
  }

  private async maybeAdvance (routeId: string, r: RouteRun, percent: number): Promise<void> {
    const steps = r.cfg.steps
    const interval = r.cfg.stepIntervalMs ?? DEFAULT_STEP_INTERVAL_MS
    if (steps === undefined || this.now() - r.stepSince < interval) return
    const next = steps.find(s => s > percent)
    if (next === undefined) return
    const stats = r.window.stats()
    await this.o.state.patch(routeId, { rolloutPercent: next }, { who: 'guard', reason: stepReason(percent, next, interval, stats) })
    this.steps.inc({ route: routeId })
    this.o.log.info({ routeId, from: percent, to: next, stats: roundedStats(stats) }, 'guard advanced a rollout step')
    r.stepSince = this.now()
    restartWindow(r)
  }
}

function restartWindow (r: RouteRun): void {
  r.window.reset()
  r.freshSince = performance.now()
}

/** Judge every 1/20 of the window (at least every 10 outcomes): the sort stays ~20·log(window) per request. */
function checkEveryFor (cfg: GuardRouteConfig): number {
  return Math.max(10, Math.min(cfg.minSamples, Math.floor(cfg.window / 20)))
}
