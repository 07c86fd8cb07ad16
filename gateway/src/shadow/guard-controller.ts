// I/O edge of the guard: feeds outcomes into per-route windows, and on a breach during a rollout
// sets the route back (legacy or last good percentage) through the route-state port — which
// audits the change with who = `guard` and the tripping figures in the reason. Optionally
// advances a step plan while the guard holds. Time comes from an injectable clock.
import { Counter } from 'prom-client'
import type { Registry } from 'prom-client'
import { evaluateGuard } from './guard/evaluate-guard.js'
import type { GuardThresholds, GuardVerdict } from './guard/evaluate-guard.js'
import { RouteWindow } from './guard/window-stats.js'
import type { Outcome, Side } from './guard/window-stats.js'

export interface GuardRouteConfig extends GuardThresholds {
  enabled: boolean
  window: number
  rollbackTo: 'legacy' | 'last-good'
  steps?: number[]
  stepIntervalMs?: number
}

/** The slice of ops' RouteStateService the guard needs. */
export interface RouteStatePort {
  get: (id: string) => { target: 'legacy' | 'lambda', rolloutPercent: number } | undefined
  patch: (id: string, patch: { target?: 'legacy' | 'lambda', rolloutPercent?: number }, meta: { who: string, reason: string | null }) => Promise<unknown>
}

export interface GuardLogger { warn: (obj: object, msg: string) => void, info: (obj: object, msg: string) => void }

export interface GuardControllerOptions {
  routes: Record<string, GuardRouteConfig>
  state: RouteStatePort
  log: GuardLogger
  now?: () => number
  /** Registers gateway_guard_rollbacks_total and gateway_guard_steps_total here when given. */
  registry?: Registry
}

interface RouteRun { window: RouteWindow, lastGood: number | null, stepSince: number, busy: boolean }

export class GuardController {
  readonly rollbacks: Counter<'route'>
  readonly steps: Counter<'route'>
  private readonly runs = new Map<string, RouteRun>()
  private readonly now: () => number
  constructor (private readonly o: GuardControllerOptions) {
    this.now = o.now ?? Date.now
    const registers = o.registry === undefined ? [] : [o.registry]
    this.rollbacks = new Counter({ name: 'gateway_guard_rollbacks_total', help: 'Rollouts set back by the guard', labelNames: ['route'], registers })
    this.steps = new Counter({ name: 'gateway_guard_steps_total', help: 'Rollout steps advanced by the guard', labelNames: ['route'], registers })
  }

  private run (routeId: string): RouteRun | undefined {
    const cfg = this.o.routes[routeId]
    if (cfg === undefined || !cfg.enabled) return undefined
    let r = this.runs.get(routeId)
    if (r === undefined) {
      r = { window: new RouteWindow(cfg.window), lastGood: null, stepSince: this.now(), busy: false }
      this.runs.set(routeId, r)
    }
    return r
  }

  /** Call once per answered request (side that answered the client, or the shadow side). */
  recordOutcome (routeId: string, side: Side, o: Outcome): void { this.run(routeId)?.window.record(side, o) }
  recordComparison (routeId: string, mismatch: boolean): void { this.run(routeId)?.window.recordComparison(mismatch) }

  /** Evaluates one route; rolls back or advances. Called after outcomes and by a timer (`tick`). */
  async check (routeId: string): Promise<GuardVerdict | undefined> {
    const cfg = this.o.routes[routeId]
    const r = this.run(routeId)
    const st = this.o.state.get(routeId)
    if (cfg === undefined || r === undefined || st === undefined || r.busy) return undefined
    const inRollout = st.target === 'lambda'
    if (!inRollout) return undefined
    const verdict = evaluateGuard(r.window.stats(), cfg)
    if ('breach' in verdict) {
      r.busy = true
      try { await this.rollback(routeId, cfg, r, st.rolloutPercent, verdict.breach) } finally { r.busy = false }
      return verdict
    }
    if (verdict.reason === undefined) {
      r.lastGood = Math.max(r.lastGood ?? 0, st.rolloutPercent)
      await this.maybeAdvance(routeId, cfg, r, st.rolloutPercent)
    }
    return verdict
  }

  async tick (): Promise<void> {
    for (const id of Object.keys(this.o.routes)) await this.check(id)
  }

  private async rollback (routeId: string, cfg: GuardRouteConfig, r: RouteRun, percent: number, b: { metric: string, lambda: number, legacy: number, threshold: number }): Promise<void> {
    const toLastGood = cfg.rollbackTo === 'last-good' && r.lastGood !== null && r.lastGood < percent
    const patch = toLastGood ? { rolloutPercent: r.lastGood as number } : { target: 'legacy' as const }
    const reason = `guard: ${b.metric} lambda=${round(b.lambda)} legacy=${round(b.legacy)} threshold=${b.threshold} at ${percent}%`
    await this.o.state.patch(routeId, patch, { who: 'guard', reason })
    this.rollbacks.inc({ route: routeId })
    this.o.log.warn({ routeId, breach: b, rolloutPercent: percent, patch }, 'guard rolled back a rollout')
    // Stop the step plan and judge the new setting on fresh outcomes only.
    r.window.reset()
    r.stepSince = Number.POSITIVE_INFINITY
  }

  private async maybeAdvance (routeId: string, cfg: GuardRouteConfig, r: RouteRun, percent: number): Promise<void> {
    const steps = cfg.steps
    if (steps === undefined || this.now() - r.stepSince < (cfg.stepIntervalMs ?? 300_000)) return
    const next = steps.find(s => s > percent)
    if (next === undefined) return
    await this.o.state.patch(routeId, { rolloutPercent: next }, { who: 'guard', reason: `guard: step ${percent}% → ${next}% (healthy for ${cfg.stepIntervalMs ?? 300_000} ms)` })
    this.steps.inc({ route: routeId })
    this.o.log.info({ routeId, from: percent, to: next }, 'guard advanced a rollout step')
    r.stepSince = this.now()
    r.window.reset()
  }
}

function round (n: number): number { return Math.round(n * 1000) / 1000 }
