// buildLegacyStub(opts) -> FastifyInstance. Never listens: see start.ts and server.ts.
import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'
import { registerCapacityHooks } from './capacity-hooks.js'
import { CapacityModel } from './capacity.js'
import { capacityFromEnv, checkCapacity } from './config.js'
import { DownSwitch } from './down-switch.js'
import { registerProblemReplies } from './problem-reply.js'
import { billingRoutes } from './routes/billings.js'
import { budgetRoutes } from './routes/budgets.js'
import { controlRoutes } from './routes/control.js'
import { projectRoutes } from './routes/projects.js'
import { userRoutes } from './routes/users.js'
import { loadSeed } from './seed.js'
import type { SeedData } from './seed.js'
import type { StubState } from './state.js'
import { zeroCounters } from './stats.js'
import { LegacyStore } from './store.js'

export interface LegacyStubOptions {
  /** Workers of the simulated thread pool. Default: env LEGACY_MAX_CONCURRENCY, else 8. */
  maxConcurrency?: number
  /** Service time per request in ms. Default: env LEGACY_LATENCY_MS, else 20. */
  latencyMs?: number
  /** Requests that may wait for a worker before 503/500. Default: env LEGACY_QUEUE_LIMIT, else 64. */
  queueLimit?: number
  /** Fastify logger option. Default false. */
  logger?: boolean | { level: string }
  /** Seed data or a path to a seed file. Default: legacy-stub/data/seed.json. */
  seed?: SeedData | string
  /** Source of randomness for `errorRate` (tests make it deterministic). Default Math.random. */
  random?: () => number
  /** Clock for CreatedAt and default dates. Default: the real one. */
  now?: () => Date
}

export function buildLegacyStub (opts: LegacyStubOptions = {}): FastifyInstance {
  const env = capacityFromEnv()
  const settings = checkCapacity({
    maxConcurrency: opts.maxConcurrency ?? env.maxConcurrency,
    latencyMs: opts.latencyMs ?? env.latencyMs,
    queueLimit: opts.queueLimit ?? env.queueLimit
  })
  const seed = typeof opts.seed === 'object' ? opts.seed : loadSeed(opts.seed)
  const now = opts.now ?? (() => new Date())
  const downSwitch = new DownSwitch()
  const state: StubState = {
    settings,
    capacity: new CapacityModel(settings),
    store: new LegacyStore(seed, now),
    downSwitch,
    faults: { latencyMs: settings.latencyMs, errorRate: 0, down: false },
    counters: zeroCounters(),
    random: opts.random ?? Math.random,
    now
  }

  const app = Fastify({
    logger: opts.logger ?? false,
    // ASP.NET routing ignores case and a trailing slash; route params keep their case.
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true },
    serverFactory: downSwitch.serverFactory,
    // Keep-alive sockets must not hold app.close() hostage in tests.
    forceCloseConnections: true
  })
  // ASP.NET answers text/plain bodies with 415; Fastify would parse them as strings.
  app.removeContentTypeParser('text/plain')

  registerProblemReplies(app)
  registerCapacityHooks(app, state)
  userRoutes(app, state)
  projectRoutes(app, state)
  budgetRoutes(app, state)
  billingRoutes(app, state)
  controlRoutes(app, state)
  return app
}
