// build(config) → the public and the admin Fastify instances, wired but not listening
// (server.ts listens; tests use inject() or listen on port 0). Read a request's life in
// pipeline/pipeline.ts; the instance is app-instance.ts, the context app-context.ts, a config
// reload app-reload.ts and the admin wiring app-admin.ts.
import type { FastifyInstance } from 'fastify'
import type { GatewayConfig } from './config/schema.js'
import type { BuildDeps, GatewayApp } from './app-deps.js'
import { configuredRouteState, createContext } from './app-context.js'
import { createPublicInstance } from './app-instance.js'
import { configReloader } from './app-reload.js'
import { buildAdmin } from './app-admin.js'
import { pipelineOf, registerPipeline } from './pipeline/pipeline.js'
import { createLambdaInvoker } from './targets/lambda-invoker.js'
import { createLegacyPool } from './targets/legacy-pool.js'
import { registerLegacyProxy } from './targets/legacy-proxy.js'
import { BUILTIN_TARGETS } from './targets/builtin-targets.js'
import { TargetRegistry } from './targets/target-registry.js'
import { createLogger } from './logging.js'
import { createRouteGuard } from './guard/guard-setup.js'
import { createShadowTraffic } from './shadow/shadow-setup.js'
import { openAsyncIntegration } from './async/async-setup.js'
import type { AsyncIntegration } from './async/async-setup.js'
import { hasAsyncRoute } from './async/async.schema.js'

export type { BuildDeps, GatewayApp, OpsDeps, ReloadOutcome } from './app-deps.js'

export async function build (config: GatewayConfig, deps: BuildDeps = {}): Promise<GatewayApp> {
  const logger = deps.logger ?? createLogger()
  const targets = new TargetRegistry([...BUILTIN_TARGETS, ...deps.targets ?? []])
  targets.checkRoutes(config.routes)
  const pool = createLegacyPool(config.legacy, deps.legacyTls)
  const invoker = deps.invoker ?? createLambdaInvoker({
    ...(config.lambda.endpoint ? { endpoint: config.lambda.endpoint } : {}),
    region: config.lambda.region,
    contexts: config.lambda.contexts
  })
  // Without ops or an injected source, route state is the config's targets (rebuilt on reload).
  const ownRouteState = deps.ops === undefined && deps.routeState === undefined
  const routeState = deps.ops?.routeState ?? deps.routeState ?? configuredRouteState(config)
  const context = createContext(config, deps, { logger, invoker, targets, routeState })
  const app: FastifyInstance = createPublicInstance(config, logger, context)
  // Async routes: deliveries share the legacy pool and go through the legacy shield (decorated
  // by the protection stage, hence the getter) at the lowest priority class. In-flight deliveries
  // get half the shutdown grace, so releasing the rest still fits in it.
  const asyncJobs = openAsyncJobs(config, deps, app, pool, logger, context.metrics.registry)
  registerLegacyProxy(app, pool)

  // The guard judges rollouts from each request's side, status and latency; it needs the ops
  // route state to roll back (persisted, audited as who = guard, shared through Redis).
  const guard = deps.ops === undefined
    ? undefined
    : createRouteGuard({ routes: config.routes, state: deps.ops.routeState, registry: context.metrics.registry, log: logger })
  // Shadow traffic (docs/shadow-and-guard.md): the other side called after the client's answer,
  // compared, and each comparison fed to the guard's mismatch rate.
  const shadow = createShadowTraffic({
    legacyDispatcher: pool,
    metrics: context.metrics,
    logger,
    onComparison: guard === undefined ? undefined : (routeId, result) => { guard.recordShadow(routeId, result) },
    now: () => context.clock.now(),
    ...(deps.shadowMismatchStore ? { store: deps.shadowMismatchStore } : {})
  })
  await registerPipeline(app, pipelineOf({
    ...(deps.tracing ? { tracing: deps.tracing } : {}),
    guard,
    shadow: shadow.publicPlugin,
    asyncIntake: asyncJobs?.publicPlugin,
    protection: {
      ...(deps.protection ? { protection: deps.protection } : {}),
      deps: {
        ...(deps.legacyLimiter ? { legacyLimiter: deps.legacyLimiter } : {}),
        ...(deps.asyncRateLimiter ? { asyncRateLimiter: deps.asyncRateLimiter } : {})
      }
    }
  }))
  // onClose runs after the listener has closed, i.e. after every client connection ended (in
  // time or cut at the grace deadline): an upstream request still open has nobody to answer.
  app.addHook('onClose', async () => {
    guard?.close()
    await pool.destroy()
    invoker.close()
  })

  const protection = app.protection
  const { applyConfig, reload } = configReloader(deps, { context, logger, ownRouteState, guard, protection, asyncOpen: asyncJobs !== undefined })
  const admin = await buildAdmin(deps, { context, logger, protection, guard, shadow, asyncJobs, reload })
  return {
    public: app,
    admin,
    context,
    reload,
    applyConfig,
    guard,
    asyncJobs,
    async close () {
      context.lifecycle.draining = true
      await app.close()
      await admin.close()
    }
  }
}

/** Default opened from `config.async` when a route is async at build time; a prebuilt one (tests); false = none. */
function openAsyncJobs (config: GatewayConfig, deps: BuildDeps, app: FastifyInstance, pool: ReturnType<typeof createLegacyPool>,
  logger: GatewayApp['context']['logger'], registry: GatewayApp['context']['metrics']['registry']): AsyncIntegration | undefined {
  if (deps.asyncJobs === false) return undefined
  if (deps.asyncJobs !== undefined) return deps.asyncJobs
  if (!hasAsyncRoute(config.routes)) return undefined
  return openAsyncIntegration({
    settings: config.async,
    baseDir: deps.asyncBaseDir ?? config.state?.dir ?? './var',
    ...(deps.asyncQueue ? { queue: deps.asyncQueue } : {}),
    legacy: config.legacy,
    dispatcher: pool,
    shield: () => app.protection.legacy,
    tokens: deps.adminTokens ?? [],
    logger,
    registry,
    stopGraceMs: Math.floor(config.server.shutdownGraceMs / 2),
    ...(deps.tracing ? { tracing: deps.tracing } : {})
  })
}
