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
import { requestLogHook } from './pipeline/request-log.js'
import type { Clock, GatewayContext, RequestOutcome, RouteStateSource, RoutingDecision } from './pipeline/context.js'
import { registerRawBody } from './http/raw-body.js'
import { gatewayErrorHandler } from './http/error-handler.js'
import { requestIdFor } from './http/request-id.js'
import { sendProblem } from './http/problem.js'
import { compileTrustedProxies } from './http/trusted-proxies.js'
import { BadPathError } from './errors.js'
import { createMetrics } from './ops/metrics.js'
import { createReadiness } from './ops/health.js'
import { buildAdminServer } from './ops/admin-server.js'
import type { AdminToken } from './ops/admin-auth.js'
import { createLogger } from './logging.js'

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
}

export interface GatewayApp {
  /** The routed-traffic instance (contract port 8080). */
  public: FastifyInstance
  /** The admin instance (/healthz, /readyz, /metrics, /admin/*; contract 127.0.0.1:9090). */
  admin: FastifyInstance
  context: GatewayContext
  /** Graceful: refuse new work (readyz 503), let in-flight requests finish, close pools. */
  close (): Promise<void>
}

function configuredRouteState (config: GatewayConfig): RouteStateSource {
  const byId = new Map(config.routes.map(r => [r.id, { target: r.target }]))
  return { get: (id) => byId.get(id) }
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
  const context: GatewayContext = {
    config,
    routeTable: compileRouteTable(config.routes, { caseSensitive: config.server.caseSensitive }),
    routeState: deps.routeState ?? configuredRouteState(config),
    metrics: createMetrics({ defaultMetrics: deps.processMetrics ?? true }),
    invoker,
    logger,
    clock: deps.clock ?? { now: () => Date.now() },
    lifecycle,
    readiness: createReadiness(lifecycle),
    trustCheck: compileTrustedProxies(config.server.trustedProxies),
    internalHeaders: new Set(config.server.internalHeaders.map(h => h.toLowerCase()))
  }

  const app: FastifyInstance = Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: requestIdFor,
    requestIdHeader: false,
    bodyLimit: config.server.bodyLimitBytes,
    // Idle keep-alive sockets are closed on shutdown; busy ones finish their request first.
    forceCloseConnections: 'idle',
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
      reply.raw.once('finish', () => { requestLogHook(request, reply).catch(() => {}) })
      sendProblem(request, reply, new BadPathError(err.message))
    }
  })
  app.decorate('gateway', context)
  // Reference-type decorators start as null and are set per request in the routing hook.
  app.decorateRequest('routing', null as unknown as RoutingDecision)
  app.decorateRequest('outcome', null as unknown as RequestOutcome)
  app.setErrorHandler(gatewayErrorHandler)
  registerRawBody(app, config.server.bodyLimitBytes)
  await registerLegacyProxy(app, config.legacy.url, pool)

  app.addHook('onRequest', routingHook)
  app.addHook('onResponse', requestLogHook)
  for (const plugin of deps.publicPlugins ?? []) await app.register(plugin)
  app.all('/*', async (request, reply) => {
    if (request.routing.target === 'lambda') return forwardToLambda(request, reply)
    return forwardToLegacy(request, reply)
  })
  // onClose runs after the listener has closed, i.e. after every client connection ended (in
  // time or cut at the grace deadline): an upstream request still open has nobody to answer.
  app.addHook('onClose', async () => {
    await pool.destroy()
    invoker.close()
  })

  const admin = await buildAdminServer({
    context,
    logger,
    ...(deps.adminTokens ? { tokens: deps.adminTokens } : {}),
    ...(deps.adminPlugins ? { plugins: deps.adminPlugins } : {})
  })

  return {
    public: app,
    admin,
    context,
    async close () {
      lifecycle.draining = true
      await app.close()
      await admin.close()
    }
  }
}
