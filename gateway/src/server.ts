// The shell: env → load config → open the route state → build (shared limiters, ops admin API)
// → listen on both ports → watch the config → handle SIGTERM/SIGINT.
// Shutdown is graceful and bounded: readiness flips to 503 (load balancers stop sending),
// the public listener stops accepting and closes idle keep-alive sockets, in-flight requests
// get up to `server.shutdownGraceMs` to finish, then the rest are cut; upstream pools close,
// and the route state flushes its last-hit times.
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { FastifyBaseLogger } from 'fastify'
import { loadConfig, stageOverlayPath } from './config/load-config.js'
import { readGatewayEnv } from './config/env.js'
import type { GatewayConfig } from './config/schema.js'
import { build } from './app.js'
import type { BuildDeps, GatewayApp, ReloadOutcome } from './app.js'
import { AdminTokenRequiredError } from './errors.js'
import { createLogger } from './logging.js'
import { adminStartRefusal, parseAdminTokens } from './ops/admin-auth.js'
import type { AuditLog } from './ops/audit-log.js'
import type { RouteStateService } from './ops/route-state-service.js'
import { openSharedJobQueue } from './async/async-setup.js'
import { hasAsyncRoute, resolveAsyncSection } from './async/async.schema.js'
import { openProcessState } from './server-state.js'
import { replicaIdOf } from './distributed/replica-id.js'
import { FILE_WATCH_ACTOR, watchAndReload } from './server-watch.js'
import type { ProcessState, StateMode } from './server-state.js'

export { FILE_WATCH_ACTOR }

export interface StartOptions {
  /** Config file; default GATEWAY_CONFIG or config/gateway.yaml (resolved by loadConfig). */
  configPath?: string
  /** Stage overlay; default STAGE or dev. */
  stage?: string
  /** Environment for interpolation, tokens and LOG_LEVEL; default process.env (read by config/env.ts). */
  env?: NodeJS.ProcessEnv
  /** An already loaded config (skips loadConfig; reload then needs configPath too). */
  config?: GatewayConfig
  /** Listen overrides (tests pass 0); default the config's server/admin host and port. */
  port?: number
  adminPort?: number
  logger?: FastifyBaseLogger
  /** State directory; default GATEWAY_STATE_DIR, then the config's state.dir. */
  stateDir?: string
  /** Watch the config file and stage overlay for changes; default true when loaded from a file. */
  watch?: boolean
  /** Debounce of the config watch in ms; default 150. */
  watchDebounceMs?: number
  /** Last-hit flush period in ms; default 60 s. */
  lastHitFlushMs?: number
  deps?: Omit<BuildDeps, 'logger' | 'adminTokens' | 'ops' | 'overrideSecret' | 'reloadSource'>
}

export interface RunningGateway {
  app: GatewayApp
  /** The config the gateway started with (the live one: app.context.config). */
  config: GatewayConfig
  routeState: RouteStateService
  audit: AuditLog
  /** Directory of gateway-state.json and audit.jsonl (file and degraded modes). */
  stateDir: string
  /** file = embedded default; redis = distributed (REDIS_URL); degraded = REDIS_URL unreachable at start (shared state is taken up once it answers). */
  stateMode: StateMode
  /** Re-read the config now (what POST /admin/reload does, without the audit entry). */
  reload (): Promise<ReloadOutcome>
  /** http://host:port of the public listener. */
  url: string
  /** http://host:port of the admin listener. */
  adminUrl: string
  /** Graceful, bounded by server.shutdownGraceMs; idempotent. */
  stop (): Promise<void>
}

function urlOf (address: string | { address: string, port: number } | null): string {
  if (address === null || typeof address === 'string') return String(address)
  const host = address.address.includes(':') ? `[${address.address}]` : address.address
  return `http://${host}:${address.port}`
}

export async function startGateway (opts: StartOptions = {}): Promise<RunningGateway> {
  const settings = readGatewayEnv(opts.env)
  const configPath = opts.configPath ?? settings.configPath
  const stage = opts.stage ?? settings.stage
  const fromFile = opts.config === undefined || opts.configPath !== undefined
  const loadFile = (): GatewayConfig => loadConfig({ path: configPath, stage, ...(opts.env ? { env: opts.env } : {}) })
  const loaded = opts.config ?? loadFile()
  const { tokens, errors } = parseAdminTokens({ GATEWAY_ADMIN_TOKEN: settings.adminToken, GATEWAY_ADMIN_TOKENS: settings.adminTokens })
  if (errors.length > 0) throw new AdminTokenRequiredError(errors.join('; '))
  const refusal = adminStartRefusal(loaded.admin.host, tokens)
  if (refusal) throw new AdminTokenRequiredError(refusal)
  const logger = opts.logger ?? createLogger({ level: settings.logLevel })

  // A corrupt state file throws GW_ERR_STATE_CORRUPT here: refuse to start rather than
  // silently forget the flips ops made (docs/operations.md, "State and audit files").
  // With REDIS_URL the state is shared through Redis (docs/distributed.md).
  const stateDir = resolve(opts.stateDir ?? settings.stateDir ?? loaded.state?.dir ?? './var')
  const state: ProcessState = await openProcessState({
    config: loaded,
    stateDir,
    redisUrl: settings.redisUrl,
    logger,
    ...(opts.lastHitFlushMs === undefined ? {} : { flushMs: opts.lastHitFlushMs })
  })
  const config = loaded
  // With REDIS_URL async jobs live in the Redis stream every replica shares (docs/async.md); if
  // Redis is away it keeps trying in the background and async writes answer 503 meanwhile.
  const asyncQueue = settings.redisUrl && hasAsyncRoute(config.routes)
    ? openSharedJobQueue({
      redisUrl: settings.redisUrl,
      keyPrefix: `${config.distributed?.keyPrefix ?? 'gw:'}jobs:`,
      maxQueuedJobs: resolveAsyncSection(config.async).maxQueuedJobs,
      consumerName: replicaIdOf(config.distributed), // stable id: a restart takes its jobs back at once
      logger
    })
    : undefined
  await asyncQueue?.firstAttempt()
  let app: GatewayApp
  try {
    app = await build(config, {
      ...opts.deps,
      // Distributed mode: the legacy permits and rate-limit buckets every replica shares.
      ...state.protectionDeps,
      logger,
      adminTokens: tokens,
      ops: { routeState: state.routeState, audit: state.audit },
      overrideSecret: settings.overrideSecret,
      asyncBaseDir: stateDir,
      ...(asyncQueue ? { asyncQueue } : {}),
      // Distributed mode: mismatch samples in Redis, so any replica's diffs show every replica's.
      ...(state.shadowMismatchStore && opts.deps?.shadowMismatchStore === undefined ? { shadowMismatchStore: state.shadowMismatchStore } : {}),
      ...(fromFile ? { reloadSource: loadFile } : {})
    })
  } catch (err) {
    await asyncQueue?.close()
    await state.close()
    throw err
  }
  if (state.readinessCheck) app.context.readiness.addCheck('redis', state.readinessCheck)
  state.registerMetrics?.(app.context.metrics.registry)
  try {
    await app.public.listen({ host: config.server.host, port: opts.port ?? config.server.port })
    await app.admin.listen({ host: config.admin.host, port: opts.adminPort ?? config.admin.port })
  } catch (err) {
    await app.close()
    await state.close()
    throw err
  }
  app.context.lifecycle.listening = true
  // Deliveries start once listening; jobs a crash left mid-delivery are requeued first.
  await app.asyncJobs?.start()
  const url = urlOf(app.public.server.address())
  const adminUrl = urlOf(app.admin.server.address())
  logger.info({ url, adminUrl, stage: config.stage, routes: config.routes.length, stateDir, stateMode: state.mode, asyncDataDir: app.asyncJobs?.settings.dataDir }, 'gateway listening')

  const watcher = fromFile && opts.watch !== false
    ? watchAndReload({ files: [configPath, stageOverlayPath(configPath, stage)], app, audit: state.audit, logger, debounceMs: opts.watchDebounceMs })
    : undefined

  let stopping: Promise<void> | undefined
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      watcher?.close()
      app.context.lifecycle.draining = true
      const graceMs = config.server.shutdownGraceMs
      let timer: NodeJS.Timeout | undefined
      const deadline = new Promise<'timeout'>(resolve => { timer = setTimeout(() => resolve('timeout'), graceMs) })
      const closing = app.public.close().then(() => 'closed' as const)
      const first = await Promise.race([closing, deadline])
      clearTimeout(timer)
      if (first === 'timeout') {
        logger.warn({ graceMs }, 'shutdown grace period over: closing remaining connections')
        app.public.server.closeAllConnections()
        await closing
      }
      await app.admin.close()
      await state.close()
      logger.info('gateway stopped')
    })()
    return stopping
  }
  return {
    app,
    config,
    routeState: state.routeState,
    audit: state.audit,
    stateDir,
    stateMode: state.mode,
    reload: () => app.reload(),
    url,
    adminUrl,
    stop
  }
}

/**
 * The last line of defence, installed once the gateway is listening (a programmer error during
 * start-up still crashes: nothing is serving yet and the exit code must say so). Afterwards an
 * exception or rejection that escaped every request handler can only come from one request's
 * I/O, so it is logged and counted in `gateway_internal_errors_total{where}` and every other
 * request keeps being served. Returns the uninstaller (tests; a stopped gateway).
 */
export function guardProcess (running: Pick<RunningGateway, 'app'>): () => void {
  const metrics = running.app.context.metrics
  const log = running.app.public.log
  const onException = (err: unknown): void => {
    metrics.internalErrors.inc({ where: 'uncaught_exception' })
    log.error({ err }, 'uncaught exception caught by the last line of defence; the gateway keeps serving')
  }
  const onRejection = (reason: unknown): void => {
    metrics.internalErrors.inc({ where: 'unhandled_rejection' })
    log.error({ err: reason }, 'unhandled rejection caught by the last line of defence; the gateway keeps serving')
  }
  process.on('uncaughtException', onException)
  process.on('unhandledRejection', onRejection)
  return () => {
    process.off('uncaughtException', onException)
    process.off('unhandledRejection', onRejection)
  }
}

/** `node dist/gateway/src/server.js`: start from the environment, exit 0 after a graceful stop. */
export async function main (): Promise<void> {
  let running: RunningGateway
  try {
    running = await startGateway()
  } catch (err) {
    const code = (err as { code?: unknown }).code
    const suffix = typeof code === 'string' && code.startsWith('GW_ERR_') ? ` (${code})` : ''
    process.stderr.write(`gateway: ${(err as Error).message}${suffix}\n`)
    process.exit(1)
  }
  guardProcess(running)
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      running.stop().then(() => process.exit(0), (err: unknown) => {
        process.stderr.write(`gateway: shutdown failed: ${(err as Error).message}\n`)
        process.exit(1)
      })
    })
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main().catch(() => process.exit(1))
