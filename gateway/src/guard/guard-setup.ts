// Wiring of the guard into a gateway: the per-route settings from the config, and the controller
// on the app's metrics registry with the route-state service as its port (so rollbacks and steps
// are persisted, shared through Redis in distributed mode, and audited with who = `guard`).
import type { Registry } from 'prom-client'
import { GuardController } from './guard-controller.js'
import type { GuardLogger, GuardRouteConfig, RouteStatePort } from './guard-ports.js'
import type { GuardConfig } from './guard.schema.js'

/** The route fields the guard reads (structural: config/schema.ts routes fit). */
export interface GuardedRoute {
  id: string
  guard?: GuardConfig | undefined
  rollout?: { steps?: number[] | undefined, stepIntervalMs?: number | undefined } | undefined
}

/** Routes with `guard.enabled` → their guard settings (with the rollout's step plan). */
export function guardRoutesFrom (routes: readonly GuardedRoute[]): Record<string, GuardRouteConfig> {
  const out: Record<string, GuardRouteConfig> = {}
  for (const r of routes) {
    if (r.guard?.enabled !== true) continue
    out[r.id] = { ...r.guard, steps: r.rollout?.steps, stepIntervalMs: r.rollout?.stepIntervalMs }
  }
  return out
}

export interface RouteGuardOptions {
  routes: readonly GuardedRoute[]
  state: RouteStatePort
  /** The app's registry: the guard counters are registered once, here (a reload reconfigures). */
  registry: Registry
  log: GuardLogger
  tickMs?: number
  now?: () => number
}

/** A started guard (timer armed, unref'd); `close()` it with the app. */
export function createRouteGuard (o: RouteGuardOptions): GuardController {
  const guard = new GuardController({
    routes: guardRoutesFrom(o.routes),
    state: o.state,
    registry: o.registry,
    log: o.log,
    ...(o.tickMs === undefined ? {} : { tickMs: o.tickMs }),
    ...(o.now === undefined ? {} : { now: o.now })
  })
  guard.start()
  return guard
}
