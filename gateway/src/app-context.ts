// The per-app context (pipeline/context.ts) as build() makes it, and the parts of it a config
// reload rebuilds (app-reload.ts): the tester override and the headers stripped before forwarding.
import type { FastifyBaseLogger } from 'fastify'
import type { BuildDeps } from './app-deps.js'
import type { GatewayConfig } from './config/schema.js'
import { configInvalid } from './config/config-problem.js'
import type { GatewayContext, RouteStateSource } from './pipeline/context.js'
import { compileRouteTable } from './routing/route-table.js'
import { testerOverrideProblem, testerOverrideSettings } from './routing/tester-override.js'
import type { TesterOverrideSettings } from './routing/tester-override.js'
import { compileTrustedProxies } from './http/trusted-proxies.js'
import { createMetrics } from './ops/metrics.js'
import { createReadiness } from './ops/health.js'
import type { RouteStateService } from './ops/route-state-service.js'
import { TrafficTimeSeries } from './cockpit/time-series.js'
import type { LambdaInvoker } from './targets/lambda-invoker.js'
import type { TargetRegistry } from './targets/target-registry.js'

const TESTER_OVERRIDE_OFF = { enabled: false, header: 'x-gateway-force-target' }

export function configuredRouteState (config: GatewayConfig): RouteStateSource {
  const byId = new Map(config.routes.map(r => [r.id, { target: r.target }]))
  return { get: (id) => byId.get(id) }
}

/** Tester override settings; refuses an enabled override without a usable secret. */
export function testerOverrideFor (config: GatewayConfig, secret: string | undefined): TesterOverrideSettings {
  const tester = config.testerOverride ?? TESTER_OVERRIDE_OFF
  const problem = testerOverrideProblem(tester, secret)
  if (problem !== undefined) throw configInvalid([{ path: 'testerOverride.enabled', message: problem }], ['the config + environment'])
  return testerOverrideSettings(tester, secret)
}

/** server.internalHeaders, server.stripHeaders and the tester override header: all stripped before forwarding. */
export function internalHeadersFor (config: GatewayConfig, tester: TesterOverrideSettings): Set<string> {
  const set = new Set([...config.server.internalHeaders, ...config.server.stripHeaders].map(h => h.toLowerCase()))
  set.add(tester.header)
  return set
}

function hasLastHit (source: RouteStateSource): source is RouteStateSource & Pick<RouteStateService, 'lastHit'> {
  return typeof (source as { lastHit?: { hitRoute?: unknown } }).lastHit?.hitRoute === 'function'
}

export interface ContextParts {
  logger: FastifyBaseLogger
  invoker: LambdaInvoker
  targets: TargetRegistry
  routeState: RouteStateSource
}

export function createContext (config: GatewayConfig, deps: BuildDeps, parts: ContextParts): GatewayContext {
  const testerOverride = testerOverrideFor(config, deps.overrideSecret)
  const lifecycle = { listening: false, draining: false }
  return {
    config,
    routeTable: compileRouteTable(config.routes, { caseSensitive: config.server.caseSensitive }),
    routeState: parts.routeState,
    testerOverride,
    lastHit: hasLastHit(parts.routeState) ? parts.routeState.lastHit : undefined,
    random: deps.random ?? Math.random,
    metrics: createMetrics({ defaultMetrics: deps.processMetrics ?? true }),
    timeSeries: new TrafficTimeSeries(),
    invoker: parts.invoker,
    targets: parts.targets,
    logger: parts.logger,
    clock: deps.clock ?? { now: () => Date.now() },
    lifecycle,
    readiness: createReadiness(lifecycle),
    trustCheck: compileTrustedProxies(config.server.trustedProxies),
    internalHeaders: internalHeadersFor(config, testerOverride)
  }
}
