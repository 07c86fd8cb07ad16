// The embedded-default wiring of the async integration in one call, so app.ts needs a few lines:
//   const asyncJobs = openAsyncIntegration({ settings: config.async, legacy: config.legacy,
//     dispatcher: pool, shield: app.protection.legacy, tokens, logger })
//   publicPlugins: [asyncJobs.publicPlugin, <protection hooks>], adminPlugins: [..., asyncJobs.adminPlugin]
//   after listen: asyncJobs.start()
// Closing the public instance stops the worker first (preClose: in-flight deliveries finish or are
// released while the legacy pool is still open) and closes the database last (onClose), so writes
// that arrive while the gateway drains are still committed and delivered after the next start.
import { resolve } from 'node:path'
import fp from 'fastify-plugin'
import type { FastifyBaseLogger, FastifyInstance, FastifyPluginAsync } from 'fastify'
import type { Dispatcher } from 'undici'
import type { AdminToken } from '../ops/admin-auth.js'
import { asyncAdminRoutes } from './async-admin.plugin.js'
import { asyncRoutes } from './async-routes.plugin.js'
import { resolveAsyncSection } from './async.schema.js'
import type { AsyncSectionConfig } from './async.schema.js'
import { DeliveryWorker } from './delivery-worker.js'
import type { Deliver, DeliveryShield } from './delivery-worker.js'
import { legacyDeliver } from './legacy-deliver.js'
import { SqliteJobQueue } from './sqlite-job-queue.js'

export interface AsyncIntegrationOptions {
  settings?: Partial<AsyncSectionConfig>
  /** legacy.url and legacy.timeoutMs. */
  legacy: { url: string, timeoutMs: number }
  /** The legacy pool (shared keep-alive connections); ignored when `deliver` is given. */
  dispatcher?: Dispatcher
  deliver?: Deliver
  /** protection.legacy (or a getter for it); absent = deliveries bounded by workerConcurrency only. */
  shield?: DeliveryShield | (() => DeliveryShield | undefined)
  tokens?: AdminToken[]
  logger?: FastifyBaseLogger
  stopGraceMs?: number
  now?: () => number
}

export interface AsyncIntegration {
  queue: SqliteJobQueue
  worker: DeliveryWorker
  publicPlugin: FastifyPluginAsync
  adminPlugin: FastifyPluginAsync
  /** Requeues jobs a crash interrupted, then delivers. */
  start: () => void
  /** Stops the worker (grace, then release) and closes the database. */
  stop: () => Promise<void>
}

export function openAsyncIntegration (opts: AsyncIntegrationOptions): AsyncIntegration {
  const settings = resolveAsyncSection(opts.settings)
  const now = opts.now ?? Date.now
  const queue = new SqliteJobQueue({ dataDir: resolve(settings.dataDir), maxQueuedJobs: settings.maxQueuedJobs, now })
  let deliver = opts.deliver
  if (deliver === undefined) {
    if (opts.dispatcher === undefined) throw new TypeError('openAsyncIntegration: give `deliver` or `dispatcher`')
    deliver = legacyDeliver({ url: opts.legacy.url, dispatcher: opts.dispatcher, timeoutMs: opts.legacy.timeoutMs })
  }
  const worker = new DeliveryWorker({
    queue,
    deliver,
    ...(opts.shield ? { shield: opts.shield } : {}),
    priorityClass: settings.priorityClass,
    concurrency: settings.workerConcurrency,
    pollMs: settings.pollMs,
    maxResultBytes: settings.maxResultBytes,
    ...(opts.stopGraceMs !== undefined ? { stopGraceMs: opts.stopGraceMs } : {}),
    now,
    ...(opts.logger ? { logger: opts.logger } : {})
  })
  let stopped: Promise<void> | undefined
  const routes = asyncRoutes({ queue, settings, onEnqueued: () => worker.wake(), now })
  const publicPlugin = fp(async (app: FastifyInstance) => {
    await app.register(routes)
    app.addHook('preClose', async () => { await worker.stop() })
    app.addHook('onClose', async () => { queue.close() })
  }, { name: 'gateway-async', fastify: '5.x' })
  return {
    queue,
    worker,
    publicPlugin,
    adminPlugin: asyncAdminRoutes({ queue, tokens: opts.tokens ?? [], onRequeued: () => worker.wake(), now }),
    start: () => worker.start(),
    stop: () => {
      stopped ??= worker.stop().finally(() => queue.close())
      return stopped
    }
  }
}
