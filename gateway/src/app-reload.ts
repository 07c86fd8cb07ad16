// A config reload (POST /admin/reload, the file watch): everything that can throw is computed
// first, then the live parts are swapped in one synchronous step, so no request sees half of it
// and routed requests keep their route (pipeline/context.ts).
import type { FastifyBaseLogger } from 'fastify'
import type { BuildDeps, ReloadOutcome } from './app-deps.js'
import { configuredRouteState, internalHeadersFor, testerOverrideFor } from './app-context.js'
import type { GatewayConfig } from './config/schema.js'
import { planReload, reloadErrors } from './config/reload-plan.js'
import type { GatewayContext, RouteStateSource } from './pipeline/context.js'
import { compileRouteTable } from './routing/route-table.js'
import { routeDefinitionsFrom } from './ops/route-state-setup.js'
import type { RouteStateService } from './ops/route-state-service.js'
import type { Protection } from './protection/protection.js'
import { guardRoutesFrom } from './guard/guard-setup.js'
import type { GuardController } from './guard/guard-controller.js'
import { hasAsyncRoute } from './async/async.schema.js'

export interface ReloadParts {
  context: GatewayContext
  logger: FastifyBaseLogger
  /** True when the route state is the config's targets (no ops, none injected): rebuilt on reload. */
  ownRouteState: boolean
  guard: GuardController | undefined
  protection: Protection
  /** Whether the async integration is open (a first async route needs a restart). */
  asyncOpen: boolean
}

export interface ConfigReloader {
  applyConfig (next: GatewayConfig): ReloadOutcome
  reload (): Promise<ReloadOutcome>
}

function canSetRoutes (source: RouteStateSource): source is RouteStateSource & Pick<RouteStateService, 'setRoutes'> {
  return typeof (source as { setRoutes?: unknown }).setRoutes === 'function'
}

export function configReloader (deps: BuildDeps, p: ReloadParts): ConfigReloader {
  const { context, logger } = p
  const applyConfig = (next: GatewayConfig): ReloadOutcome => {
    const plan = planReload(context.config, next)
    const cfg = plan.config
    // Everything that can throw is computed before anything is swapped.
    context.targets.checkRoutes(cfg.routes)
    const table = compileRouteTable(cfg.routes, { caseSensitive: cfg.server.caseSensitive })
    const tester = testerOverrideFor(cfg, deps.overrideSecret)
    const definitions = routeDefinitionsFrom(cfg.routes)
    // The swap: synchronous, so no request sees half of it; routed requests keep their route.
    context.config = cfg
    context.routeTable = table
    context.testerOverride = tester
    context.internalHeaders = internalHeadersFor(cfg, tester)
    if (p.ownRouteState) context.routeState = configuredRouteState(cfg)
    else if (canSetRoutes(context.routeState)) context.routeState.setRoutes(definitions)
    p.guard?.setRoutes(guardRoutesFrom(cfg.routes))
    p.protection.reconfigureLegacy(cfg.legacy)
    for (const route of cfg.routes) if (route.lambda) p.protection.lambdaReconfigure(route.lambda.function, route.lambda)
    // The job queue is opened at start only when a route is async: a first async route needs a restart.
    const restartRequired = !p.asyncOpen && hasAsyncRoute(cfg.routes) ? [...plan.restartRequired, 'routes[].async'] : plan.restartRequired
    if (restartRequired.length > 0) {
      logger.warn({ restartRequired }, 'config reloaded: these settings keep their running value until a restart')
    }
    logger.info({ routes: cfg.routes.length }, 'config reloaded')
    return { ok: true, restartRequired }
  }

  const reload = async (): Promise<ReloadOutcome> => {
    let outcome: ReloadOutcome
    if (deps.reloadSource === undefined) {
      outcome = { ok: false, errors: ['this gateway was started from an in-memory config: there is no file to reload'] }
    } else {
      try {
        outcome = applyConfig(await deps.reloadSource())
      } catch (err) {
        outcome = { ok: false, errors: reloadErrors(err) }
      }
    }
    if (!outcome.ok) logger.error({ errors: outcome.errors }, 'config reload refused: the running config keeps serving')
    return outcome
  }
  return { applyConfig, reload }
}
