// The embedded-default wiring of the async integration in one call. build() (app.ts) opens it
// when a route is async, right after the legacy pool:
//   const asyncJobs = openAsyncIntegration({ settings: config.async, baseDir: <state dir>,
//     legacy: config.legacy, dispatcher: pool, shield: () => app.protection.legacy, tokens, logger, registry })
//   the pipeline's async-intake stage registers asyncJobs.publicPlugin; adminPlugins: [..., asyncJobs.adminPlugin]
//   after listen: asyncJobs.start()   (server.ts)
// The public plugin goes BEFORE the protection hooks: it answers the intake and job status in its
// own onRequest hook, so they never hold or wait for a legacy permit; only the caller's own rate
// limit (legacy.clientRateLimit) is charged first (async-intake-limit.ts says why).
// Closing the public instance stops the worker first (preClose: in-flight deliveries finish or are
// released while the legacy pool is still open) and closes the database last (onClose), so writes
// that arrive while the gateway drains are still committed and delivered after the next start.
import { resolve } from 'node:path'
import fp from 'fastify-plugin'
import type { FastifyBaseLogger, FastifyInstance, FastifyPluginAsync } from 'fastify'
import type { Registry } from 'prom-client'
import type { Dispatcher } from 'undici'
import type { AdminToken } from '../ops/admin-auth.js'
import { asyncAdminRoutes } from './async-admin.plugin.js'
import { chargeClientBucket, isAsyncSurface } from './async-intake-limit.js'
import { createAsyncMetrics } from './async-metrics.js'
import { asyncRoutes } from './async-routes.plugin.js'
import { resolveAsyncSection } from './async.schema.js'
import type { AsyncSectionConfig, AsyncSectionInput } from './async.schema.js'
import { DeferredJobQueue } from './deferred-job-queue.js'
import { DeliveryWorker } from './delivery-worker.js'
import type { Deliver, DeliveryShield } from './deliver-job.js'
import { legacyDeliver } from './legacy-deliver.js'
import type { JobQueue } from './job-queue.port.js'
import { openJobQueue } from './open-job-queue.js'
import { RetentionSweeper } from './retention-sweeper.js'
import { SqliteJobQueue } from './sqlite-job-queue.js'

export interface AsyncIntegrationOptions {
  settings?: AsyncSectionInput
  /** Directory a relative `settings.dataDir` resolves against (the state dir); default the working directory. */
  baseDir?: string
  /** legacy.url and legacy.timeoutMs. */
  legacy: { url: string, timeoutMs: number }
  /** The legacy pool (shared keep-alive connections); ignored when `deliver` is given. */
  dispatcher?: Dispatcher
  deliver?: Deliver
  /** protection.legacy (or a getter for it); absent = deliveries bounded by workerConcurrency only. */
  shield?: DeliveryShield | (() => DeliveryShield | undefined)
  tokens?: AdminToken[]
  logger?: FastifyBaseLogger
  /** The app's metrics registry: gateway_async_jobs{state}, gateway_async_deliveries_total{route,outcome}, gateway_async_swept_total, gateway_async_store_bytes. */
  registry?: Registry
  /** In-flight deliveries get this long on stop before they are released to queued; default 5000 ms. */
  stopGraceMs?: number
  /**
   * An opened queue (open-job-queue.ts `openJobQueue`: the Redis stream with REDIS_URL); default the
   * SQLite queue in settings.dataDir. The integration owns it from here: stop() closes it.
   */
  queue?: JobQueue
  now?: () => number
}

export interface AsyncIntegration {
  queue: JobQueue
  worker: DeliveryWorker
  /** Deletes settled jobs past settings.retention (started by start(), stopped by stop()). */
  sweeper: RetentionSweeper
  /** The resolved settings (dataDir absolute). */
  settings: AsyncSectionConfig
  publicPlugin: FastifyPluginAsync
  adminPlugin: FastifyPluginAsync
  /** Requeues jobs a crash interrupted, then delivers, and starts the retention sweep; settles once that recovery ran (never rejects). */
  start: () => Promise<void>
  /** Stops the worker (grace, then release) and closes the database. Idempotent. */
  stop: () => Promise<void>
}

export function openAsyncIntegration (opts: AsyncIntegrationOptions): AsyncIntegration {
  const resolved = resolveAsyncSection(opts.settings)
  const settings = { ...resolved, dataDir: resolve(opts.baseDir ?? '.', resolved.dataDir) }
  const now = opts.now ?? Date.now
  const queue = opts.queue ?? new SqliteJobQueue({ dataDir: settings.dataDir, maxQueuedJobs: settings.maxQueuedJobs, now })
  let deliver = opts.deliver
  if (deliver === undefined) {
    if (opts.dispatcher === undefined) throw new TypeError('openAsyncIntegration: give `deliver` or `dispatcher`')
    deliver = legacyDeliver({ url: opts.legacy.url, dispatcher: opts.dispatcher, timeoutMs: opts.legacy.timeoutMs })
  }
  const given = opts.shield
  const shieldNow = (): DeliveryShield | undefined => typeof given === 'function' ? given() : given
  const metrics = opts.registry ? createAsyncMetrics(opts.registry, queue) : undefined
  const worker = new DeliveryWorker({
    queue,
    deliver,
    ...(metrics ? { shield: metrics.measured(shieldNow) } : given ? { shield: given } : {}),
    priorityClass: settings.priorityClass,
    concurrency: settings.workerConcurrency,
    pollMs: settings.pollMs,
    maxResultBytes: settings.maxResultBytes,
    ...(opts.stopGraceMs !== undefined ? { stopGraceMs: opts.stopGraceMs } : {}),
    now,
    ...(opts.logger ? { logger: opts.logger } : {})
  })
  const sweeper = new RetentionSweeper({
    queue,
    retention: settings.retention,
    now,
    ...(metrics ? { onSwept: (n: number) => { metrics.swept.inc(n) } } : {}),
    ...(opts.logger ? { logger: opts.logger } : {})
  })
  let stopped: Promise<void> | undefined
  const stop = (): Promise<void> => {
    stopped ??= Promise.all([worker.stop(), sweeper.stop()]).then(() => {}).finally(() => queue.close())
    return stopped
  }
  const prefix = settings.pathPrefix.replace(/\/+$/, '')
  const routes = asyncRoutes({ queue, settings, onEnqueued: () => worker.wake(), now })
  const publicPlugin = fp(async (app: FastifyInstance) => {
    // Registered before the intake's hook, so it runs first on the same requests.
    app.addHook('onRequest', async (request, reply) => {
      if (!reply.sent && isAsyncSurface(request, prefix)) await chargeClientBucket(request, reply)
    })
    await app.register(routes)
    // preClose: before the listener closes, while the legacy pool is open (it closes onClose).
    app.addHook('preClose', async () => { await worker.stop() })
    app.addHook('onClose', async () => { await stop() })
  }, { name: 'gateway-async', fastify: '5.x' })
  return {
    queue,
    worker,
    sweeper,
    settings,
    publicPlugin,
    adminPlugin: asyncAdminRoutes({ queue, tokens: opts.tokens ?? [], onRequeued: () => worker.wake(), now }),
    start: async () => { await worker.start(); sweeper.start() },
    stop
  }
}

export interface SharedJobQueueOptions {
  /** REDIS_URL. */
  redisUrl: string
  /** `<distributed.keyPrefix>jobs:`: one namespace per deployment sharing a Redis. */
  keyPrefix: string
  maxQueuedJobs: number
  logger?: FastifyBaseLogger
  /** Wait between attempts while Redis is away (ms). Default 2000. */
  retryMs?: number
  /** `distributed.replicaId`: the consumer name in the queue's group; default unique per process. */
  consumerName?: string | undefined
}

/**
 * With REDIS_URL: the Redis stream queue every replica shares, opened in the background so a
 * gateway whose Redis is away still starts (degraded, like the rest of distributed mode) — async
 * writes answer 503 until the queue opens, never 202 for a job that has nowhere to live. Await
 * `firstAttempt()` before listening so a reachable Redis is in use from the first request.
 */
export function openSharedJobQueue (o: SharedJobQueueOptions): DeferredJobQueue {
  return new DeferredJobQueue({
    open: () => openJobQueue({
      redisUrl: o.redisUrl,
      dataDir: '.', // unused with a Redis URL
      maxQueuedJobs: o.maxQueuedJobs,
      keyPrefix: o.keyPrefix,
      ...(o.consumerName === undefined ? {} : { consumerName: o.consumerName }),
      ...(o.logger ? { logger: o.logger } : {})
    }),
    ...(o.retryMs === undefined ? {} : { retryMs: o.retryMs }),
    ...(o.logger ? { logger: o.logger } : {})
  })
}
