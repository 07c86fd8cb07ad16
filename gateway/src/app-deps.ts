// The types of build() (app.ts): what it takes (BuildDeps) and what it returns (GatewayApp).
import type { FastifyBaseLogger, FastifyInstance, FastifyPluginAsync } from 'fastify'
import type { GatewayConfig } from './config/schema.js'
import type { ReloadOutcome } from './config/reload-plan.js'
import type { LambdaInvoker } from './targets/lambda-invoker.js'
import type { LegacyPoolOptions } from './targets/legacy-pool.js'
import type { Target } from './targets/target.port.js'
import type { Clock, GatewayContext, RouteStateSource } from './pipeline/context.js'
import type { AdminToken } from './ops/admin-auth.js'
import type { AuditLog } from './ops/audit-log.js'
import type { RouteStateService } from './ops/route-state-service.js'
import type { Protection, ProtectionDeps } from './protection/protection.js'
import type { GuardController } from './guard/guard-controller.js'
import type { MismatchStore } from './shadow/mismatch-store.js'
import type { AsyncIntegration } from './async/async-setup.js'
import type { JobQueue } from './async/job-queue.port.js'

export type { ReloadOutcome }

/** The ops area wired in: route state (flips, rollout, last hits) and the audit log. */
export interface OpsDeps {
  routeState: RouteStateService
  audit: AuditLog
  /** Clock of the unused report; default Date.now. */
  now?: () => number
}

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
  /** Distributed mode (server-state.ts): the legacy permits every replica shares (RedisSemaphore). */
  legacyLimiter?: ProtectionDeps['legacyLimiter']
  /** Distributed mode: the rate-limit buckets every replica shares (Redis token buckets). */
  asyncRateLimiter?: ProtectionDeps['asyncRateLimiter']
  /** A prebuilt protection instead of one built from `config.legacy` (tests); closed with the app. */
  protection?: Protection
  /** Targets besides the built-in legacy and lambda (targets/target.port.ts), routed to by name. */
  targets?: readonly Target[]
  /** Seam for ops: plugins registered on the admin instance (they guard their own /admin/* routes). */
  adminPlugins?: FastifyPluginAsync[]
  /** Also collect the process metrics (cpu, heap, event loop) in /metrics; default true. */
  processMetrics?: boolean
  /**
   * Ops wiring: the route state service becomes the app's route state (and last-hit sink), and
   * the admin API (adminRoutes) is registered on the admin instance with the protection
   * breakers and route stats from the metrics.
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
