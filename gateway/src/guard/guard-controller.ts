// I/O edge of the guard: feeds outcomes into per-route windows (route-run.ts), judges them, and on
// a breach during a rollout sets the route back (legacy or last good percentage) through the
// route-state port — which persists and audits the change with who = `guard` and the tripping
// figures in the reason. Optionally advances a step plan while the guard holds (both moves:
// guard-moves.ts). Time comes from an injectable clock.
//
// Cost on the request path: `recordOutcome` is a Map lookup and a write into preallocated rings;
// the judgement (a sort of the window) runs every `checkEvery` Lambda outcomes (deferred with
// setImmediate, so never inside the response) and on a timer (`tickMs`) for the step plan and
// quiet routes.
import { Counter } from 'prom-client'
import type { Registry } from 'prom-client'
import { evaluateGuard } from './evaluate-guard.js'
import type { GuardVerdict } from './evaluate-guard.js'
import type { GuardLogger, GuardRouteConfig, RouteStatePort } from './guard-ports.js'
import { maybeAdvance, rollBack } from './guard-moves.js'
import type { GuardMoveDeps } from './guard-moves.js'
import { followChange, markHealthy, newRouteRun, reconfigureRun, viewOf } from './route-run.js'
import type { GuardView, RouteRun } from './route-run.js'
import type { Side } from './window-stats.js'

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

export class GuardController {
  readonly rollbacks: Counter<'route'>
  readonly steps: Counter<'route'>
  private readonly runs = new Map<string, RouteRun>()
  private readonly now: () => number
  private readonly moves: GuardMoveDeps
  private timer: NodeJS.Timeout | undefined
  private unsubscribe: (() => void) | undefined
  private closed = false
  constructor (private readonly o: GuardControllerOptions) {
    this.now = o.now ?? Date.now
    const registers = o.registry === undefined ? [] : [o.registry]
    this.rollbacks = new Counter({ name: 'gateway_guard_rollbacks_total', help: 'Rollouts set back by the guard', labelNames: ['route'], registers })
    this.steps = new Counter({ name: 'gateway_guard_steps_total', help: 'Rollout steps advanced by the guard', labelNames: ['route'], registers })
    this.moves = { state: o.state, log: o.log, rollbacks: this.rollbacks, steps: this.steps, now: this.now }
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
        reconfigureRun(run, cfg)
        this.stateChanged(id) // the config may have moved the target or percentage
        continue
      }
      const st = this.o.state.get(id)
      this.runs.set(id, newRouteRun(cfg, st === undefined ? undefined : { target: st.target, rolloutPercent: st.rolloutPercent }, this.now()))
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
      try { await rollBack(this.moves, routeId, r, st.rolloutPercent, verdict.breach) } finally { r.busy = false }
      return verdict
    }
    if (verdict.reason === undefined) {
      markHealthy(r, st.rolloutPercent)
      r.busy = true
      try { await maybeAdvance(this.moves, routeId, r, st.rolloutPercent) } finally { r.busy = false }
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
    return r === undefined ? undefined : viewOf(r)
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

  /** A change by anyone (operator, this guard, another replica, a reload). */
  private stateChanged (routeId: string): void {
    const r = this.runs.get(routeId)
    const st = this.o.state.get(routeId)
    if (r === undefined || st === undefined) return
    followChange(r, { target: st.target, rolloutPercent: st.rolloutPercent }, this.now())
  }
}
