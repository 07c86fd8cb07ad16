// build(config) → the public and the admin Fastify instances, wired but not listening
// (server.ts listens; tests use inject() or listen on port 0). One catch-all route takes every
// method and path: Fastify's router must not judge paths — the gateway's own normaliser and
// route table do, so odd paths get a consistent 400 problem+json instead of a router 404.
import Fastify, { LogController } from 'fastify'
import type { FastifyBaseLogger, FastifyInstance, FastifyPluginAsync } from 'fastify'
import type { GatewayConfig } from './config/schema.js'
import { compileRouteTable } from './routing/route-table.js'
import { createLambdaInvoker } from './targets/lambda-invoker.js'
import type { LambdaInvoker } from './targets/lambda-invoker.js'
import { createLegacyPool } from './targets/legacy-pool.js'
import type { LegacyPoolOptions } from './targets/legacy-pool.js'
import { registerLegacyProxy, forwardToLegacy } from './targets/legacy-proxy.js'
import { forwardToLambda } from './pipeline/lambda-forward.js'
import { routingHook } from './pipeline/routing-hook.js'
import { logRequest, requestLogHook } from './pipeline/request-log.js'
import type { Clock, GatewayContext, RequestOutcome, RouteStateSource, RoutingDecision } from './pipeline/context.js'
import { discardUnreadBody, registerRawBody } from './http/raw-body.js'
import { gatewayClientErrorHandler, gatewayErrorHandler } from './http/error-handler.js'
import { requestIdFor } from './http/request-id.js'
import { sendProblem } from './http/problem.js'
import { compileTrustedProxies } from './http/trusted-proxies.js'
import { BadPathError } from './errors.js'
import { createMetrics } from './ops/metrics.js'
import { createReadiness } from './ops/health.js'
import { buildAdminServer } from './ops/admin-server.js'
import type { AdminToken } from './ops/admin-auth.js'
import { adminRoutes } from './ops/admin-routes.plugin.js'
import { breakerControlFrom } from './ops/admin-routes-breakers.js'
import { routeStatsFromMetrics } from './ops/admin-routes-stats.js'
import type { AuditLog } from './ops/audit-log.js'
import type { RouteStateService } from './ops/route-state-service.js'
import { routeDefinitionsFrom } from './ops/route-state-setup.js'
import { testerOverrideProblem, testerOverrideSettings } from './routing/tester-override.js'
import type { TesterOverrideSettings } from './routing/tester-override.js'
import { configInvalid } from './config/config-problem.js'
import { planReload, reloadErrors } from './config/reload-plan.js'
import type { ReloadOutcome } from './config/reload-plan.js'
import { createLogger, lazyChildLogger } from './logging.js'
import { createRouteGuard, guardRoutesFrom } from './guard/guard-setup.js'
import type { GuardController } from './guard/guard-controller.js'
import { registerGuardOutcome } from './pipeline/guard-outcome.hook.js'
import { guardAdminRoutes } from './guard/guard-admin.plugin.js'
import { createShadowTraffic } from './shadow/shadow-setup.js'
import type { MismatchStore } from './shadow/mismatch-store.js'
import { adminDiffsRoutes } from './shadow/shadow-admin.plugin.js'
import { TrafficTimeSeries } from './cockpit/time-series.js'
import { cockpitApiRoutes } from './cockpit/cockpit-api.plugin.js'
import { contextOf } from './cockpit/overview.js'
import { openAsyncIntegration } from './async/async-setup.js'
import type { AsyncIntegration } from './async/async-setup.js'
import { hasAsyncRoute } from './async/async.schema.js'
import type { JobQueue } from './async/job-queue.port.js'
// The `app.protection` decorator type (registered by the protection hooks in publicPlugins).
import type {} from './protection/protection.plugin.js'

export type { ReloadOutcome }

/** The ops area wired in: route state (flips, rollout, last hits) and the audit log. */
export interface OpsDeps {
  routeState: RouteStateService
  audit: AuditLog
  /** Clock of the unused report; default Date.now. */
  now?: () => number
}

const TESTER_OVERRIDE_OFF = { enabled: false, header: 'x-gateway-force-target' }

export interface BuildDeps {
  /** Lambda invoker; default createLambdaInvoker(config.lambda). */
  invoker?: LambdaInvoker
  /** pino logger; default createLogger() at `info`. */
  logger?: FastifyBaseLogger
  /** Wall clock for event times; default Date.now. */
  clock?: Clock
  /** Route runtime state (ops flips); default: each route's configured target. */
  routeState?: RouteStateSource
  /** Admin bearer tokens (ops/admin-auth.ts parseAdminTokens of GATEWAY_ADMIN_TOKEN[S]). */
  adminTokens?: AdminToken[]
  /** TLS options for an https legacy URL (extra CA); verification is always on. */
  legacyTls?: LegacyPoolOptions
  /**
   * Seam for protection: plugins registered on the public instance after the routing hook and
   * before the catch-all handler. Wrap them with fastify-plugin so their hooks apply to it;
   * they read `request.routing` and throw typed rejections (protection/rejection.ts).
   */
  publicPlugins?: FastifyPluginAsync[]
  /** Seam for ops: plugins registered on the admin instance (they guard their own /admin/* routes). */
  adminPlugins?: FastifyPluginAsync[]
  /** Also collect the process metrics (cpu, heap, event loop) in /metrics; default true. */
  processMetrics?: boolean
  /**
   * Ops wiring: the route state service becomes the app's route state (and last-hit sink), and
   * the admin API (adminRoutes) is registered on the admin instance with the protection
   * breakers (when the protection hooks are in publicPlugins) and route stats from the metrics.
   */
  ops?: OpsDeps
  /** GATEWAY_OVERRIDE_SECRET (config/env.ts); the tester override needs it when enabled. */
  overrideSecret?: string | undefined
  /** Re-reads the config for a reload (POST /admin/reload, file watch); throws when invalid. */
  reloadSource?: () => GatewayConfig | Promise<GatewayConfig>
  /** Random source of key-less rollout splits; default Math.random. */
  random?: () => number
  /**
   * Async routes (docs/async.md): default opened from `config.async` when a route is async at
   * build time; a prebuilt integration (tests); false = none.
   */
  asyncJobs?: AsyncIntegration | false
  /** Directory a relative `async.dataDir` resolves against (server.ts: the state dir); default `state.dir`. */
  asyncBaseDir?: string
  /** The job queue instead of SQLite under `async.dataDir` (server.ts: the Redis stream with REDIS_URL); owned from here. */
  asyncQueue?: JobQueue
  /** Where shadow mismatches are kept; default in-process (distributed mode: dist.mismatchStore()). */
  shadowMismatchStore?: MismatchStore
}

export interface GatewayApp {
  /** The routed-traffic instance (contract port 8080). */
  public: FastifyInstance
  /** The admin instance (/healthz, /readyz, /metrics, /admin/*; contract 127.0.0.1:9090). */
  admin: FastifyInstance
  context: GatewayContext
  /**
   * Re-reads the config (deps.reloadSource) and applies it; an invalid one is refused with every
   * error, logged, and the running config keeps serving.
   */
  reload (): Promise<ReloadOutcome>
  /** Applies an already validated config atomically (routes, shield, tester override). */
  applyConfig (next: GatewayConfig): ReloadOutcome
  /** Graceful: refuse new work (readyz 503), let in-flight requests finish, close pools. */
  close (): Promise<void>
  /**
   * The rollout guard (with ops only: it rolls back through the route state service). Shadow
   * comparisons reach it through `guard.recordShadow(routeId, result)`.
   */
  guard: GuardController | undefined
  /** The async integration (job queue + delivery worker) when a route is async; start() it once listening. */
  asyncJobs: AsyncIntegration | undefined
}

function configuredRouteState (config: GatewayConfig): RouteStateSource {
  const byId = new Map(config.routes.map(r => [r.id, { target: r.target }]))
  return { get: (id) => byId.get(id) }
}

/** Tester override settings; refuses an enabled override without a usable secret. */
function testerOverrideFor (config: GatewayConfig, secret: string | undefined): TesterOverrideSettings {
  const tester = config.testerOverride ?? TESTER_OVERRIDE_OFF
  const problem = testerOverrideProblem(tester, secret)
  if (problem !== undefined) throw configInvalid([{ path: 'testerOverride.enabled', message: problem }], ['the config + environment'])
  return testerOverrideSettings(tester, secret)
}

/** server.internalHeaders, server.stripHeaders and the tester override header: all stripped before forwarding. */
function internalHeadersFor (config: GatewayConfig, tester: TesterOverrideSettings): Set<string> {
  const set = new Set([...config.server.internalHeaders, ...config.server.stripHeaders].map(h => h.toLowerCase()))
  set.add(tester.header)
  return set
}

function hasLastHit (source: RouteStateSource): source is RouteStateSource & Pick<RouteStateService, 'lastHit'> {
  return typeof (source as { lastHit?: { hitRoute?: unknown } }).lastHit?.hitRoute === 'function'
}

function canSetRoutes (source: RouteStateSource): source is RouteStateSource & Pick<RouteStateService, 'setRoutes'> {
  return typeof (source as { setRoutes?: unknown }).setRoutes === 'function'
}

export async function build (config: GatewayConfig, deps: BuildDeps = {}): Promise<GatewayApp> {
  const logger = deps.logger ?? createLogger()
  const lifecycle = { listening: false, draining: false }
  const pool = createLegacyPool(config.legacy, deps.legacyTls)
  const invoker = deps.invoker ?? createLambdaInvoker({
    ...(config.lambda.endpoint ? { endpoint: config.lambda.endpoint } : {}),
    region: config.lambda.region,
    contexts: config.lambda.contexts
  })
  const testerOverride = testerOverrideFor(config, deps.overrideSecret)
  // Without ops or an injected source, route state is the config's targets (rebuilt on reload).
  const ownRouteState = deps.ops === undefined && deps.routeState === undefined
  const routeState = deps.ops?.routeState ?? deps.routeState ?? configuredRouteState(config)
  const context: GatewayContext = {
    config,
    routeTable: compileRouteTable(config.routes, { caseSensitive: config.server.caseSensitive }),
    routeState,
    testerOverride,
    lastHit: hasLastHit(routeState) ? routeState.lastHit : undefined,
    random: deps.random ?? Math.random,
    metrics: createMetrics({ defaultMetrics: deps.processMetrics ?? true }),
    timeSeries: new TrafficTimeSeries(),
    invoker,
    logger,
    clock: deps.clock ?? { now: () => Date.now() },
    lifecycle,
    readiness: createReadiness(lifecycle),
    trustCheck: compileTrustedProxies(config.server.trustedProxies),
    internalHeaders: internalHeadersFor(config, testerOverride)
  }
  // Async routes: deliveries share the legacy pool and go through the legacy shield (built by the
  // protection hooks below, hence the getter) at the lowest priority class. In-flight deliveries
  // get half the shutdown grace, so releasing the rest still fits in it.
  const asyncJobs = deps.asyncJobs === false
    ? undefined
    : deps.asyncJobs ?? (hasAsyncRoute(config.routes)
      ? openAsyncIntegration({
        settings: config.async,
        baseDir: deps.asyncBaseDir ?? config.state?.dir ?? './var',
        ...(deps.asyncQueue ? { queue: deps.asyncQueue } : {}),
        legacy: config.legacy,
        dispatcher: pool,
        shield: () => app.hasDecorator('protection') ? app.protection.legacy : undefined,
        tokens: deps.adminTokens ?? [],
        logger,
        registry: context.metrics.registry,
        stopGraceMs: Math.floor(config.server.shutdownGraceMs / 2)
      })
      : undefined)

  const app: FastifyInstance = Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    // request.log is made on first use: a pino child per request is a hot-path cost (logging.ts).
    childLoggerFactory: lazyChildLogger,
    genReqId: requestIdFor,
    requestIdHeader: false,
    bodyLimit: config.server.bodyLimitBytes,
    // Idle keep-alive sockets are closed on shutdown; busy ones finish their request first.
    forceCloseConnections: 'idle',
    // Unparseable HTTP (bad framing, header bytes): problem+json, connection closed (error-handler.ts).
    clientErrorHandler: gatewayClientErrorHandler,
    exposeHeadRoutes: false,
    routerOptions: {
      caseSensitive: true,
      ignoreTrailingSlash: false,
      ignoreDuplicateSlashes: false,
      maxParamLength: 8192
    },
    // Fastify's router refuses some URLs itself (bad percent-encoding): same 400 as ours.
    // No hooks run for these requests, so the log line and metrics are written on finish.
    frameworkErrors: (err, request, reply) => {
      reply.header('x-request-id', request.id)
      request.outcome = { startedAt: performance.now(), rejection: 'bad_request' }
      request.routing = { routeId: 'default', route: undefined, params: {}, path: request.url, query: '', target: 'none' }
      reply.raw.once('finish', () => { try { logRequest(request, reply) } catch { /* a log line must never crash the process */ } })
      sendProblem(request, reply, new BadPathError(err.message))
    }
  })
  app.decorate('gateway', context)
  // Reference-type decorators start as null and are set per request in the routing hook.
  app.decorateRequest('routing', null as unknown as RoutingDecision)
  app.decorateRequest('outcome', null as unknown as RequestOutcome)
  app.setErrorHandler(gatewayErrorHandler)
  registerRawBody(app)
  // A body on a method Fastify does not parse (GET, HEAD) must still end validly before the
  // request goes anywhere, and before a permit is taken (the protection preHandler).
  app.addHook('preValidation', (request, _reply, done) => {
    const unread = discardUnreadBody(request)
    if (unread === undefined) done()
    else unread.then(() => { done() }, done)
  })
  await registerLegacyProxy(app, config.legacy.url, pool)

  app.addHook('onRequest', routingHook)
  // The guard judges rollouts from each request's side, status and latency; it needs the ops
  // route state to roll back (persisted, audited as who = guard, shared through Redis).
  const guard = deps.ops === undefined
    ? undefined
    : createRouteGuard({ routes: config.routes, state: deps.ops.routeState, registry: context.metrics.registry, log: logger })
  if (guard !== undefined) registerGuardOutcome(app, guard)
  // Shadow traffic (docs/shadow-and-guard.md): the other side called after the client's answer,
  // compared, and each comparison fed to the guard's mismatch rate. Registered before the
  // protection hooks: its preValidation buffers a shadowed body before a permit is taken.
  const shadow = createShadowTraffic({
    legacyDispatcher: pool,
    metrics: context.metrics,
    logger,
    onComparison: guard === undefined ? undefined : (routeId, result) => { guard.recordShadow(routeId, result) },
    now: () => context.clock.now(),
    ...(deps.shadowMismatchStore ? { store: deps.shadowMismatchStore } : {})
  })
  await app.register(shadow.publicPlugin)
  app.addHook('onResponse', requestLogHook)
  // The async intake and job status answer before the protection hooks: no legacy permit held.
  if (asyncJobs) await app.register(asyncJobs.publicPlugin)
  for (const plugin of deps.publicPlugins ?? []) await app.register(plugin)
  app.all('/*', async (request, reply) => {
    if (request.routing.target === 'lambda') return forwardToLambda(request, reply)
    return forwardToLegacy(request, reply)
  })
  // onClose runs after the listener has closed, i.e. after every client connection ended (in
  // time or cut at the grace deadline): an upstream request still open has nobody to answer.
  app.addHook('onClose', async () => {
    guard?.close()
    await pool.destroy()
    invoker.close()
  })

  const applyConfig = (next: GatewayConfig): ReloadOutcome => {
    const plan = planReload(context.config, next)
    const cfg = plan.config
    // Everything that can throw is computed before anything is swapped.
    const table = compileRouteTable(cfg.routes, { caseSensitive: cfg.server.caseSensitive })
    const tester = testerOverrideFor(cfg, deps.overrideSecret)
    const definitions = routeDefinitionsFrom(cfg.routes)
    // The swap: synchronous, so no request sees half of it; routed requests keep their route.
    context.config = cfg
    context.routeTable = table
    context.testerOverride = tester
    context.internalHeaders = internalHeadersFor(cfg, tester)
    if (ownRouteState) context.routeState = configuredRouteState(cfg)
    else if (canSetRoutes(context.routeState)) context.routeState.setRoutes(definitions)
    guard?.setRoutes(guardRoutesFrom(cfg.routes))
    if (app.hasDecorator('protection')) {
      app.protection.reconfigureLegacy(cfg.legacy)
      for (const route of cfg.routes) if (route.lambda) app.protection.lambdaReconfigure(route.lambda.function, route.lambda)
    }
    // The job queue is opened at start only when a route is async: a first async route needs a restart.
    const restartRequired = asyncJobs === undefined && hasAsyncRoute(cfg.routes) ? [...plan.restartRequired, 'routes[].async'] : plan.restartRequired
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

  const adminPlugins = [...deps.adminPlugins ?? [], ...asyncJobs ? [asyncJobs.adminPlugin] : []]
  if (deps.ops) {
    adminPlugins.unshift(adminRoutes({
      routeState: deps.ops.routeState,
      audit: deps.ops.audit,
      tokens: deps.adminTokens ?? [],
      reload,
      ...(app.hasDecorator('protection') ? { breakers: breakerControlFrom(app.protection.breakers) } : {}),
      stats: routeStatsFromMetrics(context.metrics),
      ...(deps.ops.now ? { now: deps.ops.now } : {})
    }))
    const ops = deps.ops
    if (guard !== undefined) adminPlugins.push(guardAdminRoutes({ guard, tokens: deps.adminTokens ?? [], knows: id => ops.routeState.definition(id) !== undefined }))
  }
  adminPlugins.push(adminDiffsRoutes({
    shadow,
    tokens: deps.adminTokens ?? [],
    knows: id => context.config.routes.some(r => r.id === id),
    enabled: id => {
      const state = context.routeState.get(id) as { shadow?: { enabled?: boolean } } | undefined
      return state?.shadow?.enabled ?? context.config.routes.find(r => r.id === id)?.shadow?.enabled ?? false
    }
  }))
  adminPlugins.push(cockpitApiRoutes({
    tokens: deps.adminTokens ?? [],
    series: context.timeSeries!,
    routes: () => context.config.routes.map(r => ({
      id: r.id,
      context: contextOf(r),
      ...(r.lambda ? { lambdaFunction: r.lambda.function } : {}),
      ...(r.rollout?.steps ? { steps: r.rollout.steps } : {})
    })),
    ...(guard ? { guard: (id: string) => guard.view(id) } : {}),
    state: context.routeState,
    coldStarts: context.metrics.lambdaColdStarts,
    initDuration: context.metrics.lambdaInitDuration
  }))
  const admin = await buildAdminServer({
    context,
    logger,
    ...(deps.adminTokens ? { tokens: deps.adminTokens } : {}),
    plugins: adminPlugins
  })

  return {
    public: app,
    admin,
    context,
    reload,
    applyConfig,
    guard,
    asyncJobs,
    async close () {
      lifecycle.draining = true
      await app.close()
      await admin.close()
    }
  }
}
