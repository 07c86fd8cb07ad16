// Where a gateway process keeps what it shares: the embedded default (route state + audit in a
// state directory, limits in process) or, with REDIS_URL, distributed mode (route state, audit,
// legacy permits and token buckets in Redis; docs/distributed.md). If Redis cannot be reached at
// start the gateway still starts, degraded: it logs it once, reports not-ready (/readyz check
// `redis`, gauge `gateway_distributed_degraded`), serves the configured routes without overrides
// and enforces the limits divided by `distributed.expectedReplicas`, so K replicas together stay
// near the configured limits; admin changes are refused (they need Redis). When Redis answers,
// the replica loads the shared route state and uses the shared buckets and permits again — no
// restart needed.
import type { FastifyBaseLogger } from 'fastify'
import type { Registry } from 'prom-client'
import type { GatewayConfig } from './config/schema.js'
import { configDeprecations } from './config/renamed-settings.js'
import type { CheckResult } from './ops/health.js'
import type { AuditLog } from './ops/audit-log.js'
import { openFileRouteState, routeDefinitionsFrom } from './ops/route-state-setup.js'
import { RouteStateService } from './ops/route-state-service.js'
import { openDistributed } from './distributed/open-distributed.js'
import { registerDegradedGauge } from './distributed/degraded-gauge.js'
import { SharedStateLoader } from './distributed/shared-state-loader.js'
import { replicaIdOf } from './distributed/replica-id.js'
import type { ProtectionDeps } from './protection/protection.js'
import type { MismatchStore } from './shadow/mismatch-store.js'

export type StateMode = 'file' | 'redis' | 'degraded'

export interface ProcessState {
  mode: StateMode
  routeState: RouteStateService
  audit: AuditLog
  /** Shared legacy permits and buckets (redis mode only). */
  protectionDeps: Pick<ProtectionDeps, 'legacyLimiter' | 'asyncRateLimiter'> | undefined
  /** `/readyz` check `redis` (distributed modes only). */
  readinessCheck: (() => CheckResult) | undefined
  /** Shadow mismatch samples shared by the replicas (distributed modes only; else build()'s in-process store). */
  shadowMismatchStore?: MismatchStore
  /** Adds `gateway_distributed_degraded` (distributed modes only). */
  registerMetrics?: (registry: Registry) => void
  close: () => Promise<void>
}

export interface OpenProcessStateOptions {
  config: GatewayConfig
  stateDir: string
  redisUrl: string | undefined
  logger: FastifyBaseLogger
  flushMs?: number
}

async function fileState (o: OpenProcessStateOptions): Promise<ProcessState> {
  const state = await openFileRouteState({
    dir: o.stateDir,
    routes: routeDefinitionsFrom(o.config.routes),
    ...(o.flushMs === undefined ? {} : { flushMs: o.flushMs }),
    onFlushError: (err) => { o.logger.warn({ err, stateDir: o.stateDir }, 'last-hit flush failed; retried on the next tick') }
  })
  return {
    mode: 'file',
    routeState: state.routeState,
    audit: state.audit,
    protectionDeps: undefined,
    readinessCheck: undefined,
    close: state.close
  }
}

export async function openProcessState (o: OpenProcessStateOptions): Promise<ProcessState> {
  // The first place a started gateway has both its loaded config and its logger.
  for (const d of configDeprecations(o.config)) o.logger.warn({ setting: d.path, replacement: d.replacement }, d.message)
  if (o.redisUrl === undefined) return await fileState(o)
  // Unreachable Redis at start does not reject: the replica starts degraded and its clients keep
  // reconnecting; shared state is taken up at runtime once Redis answers (see below).
  const replicaName = replicaIdOf(o.config.distributed)
  const dist = await openDistributed({ url: o.redisUrl, config: o.config.distributed, logger: o.logger, degradedStart: true, ...(replicaName === undefined ? {} : { replicaName }) })
  const routeState = new RouteStateService({
    store: dist.stateStore((err) => { o.logger.warn({ err }, 'distributed: route state sync failed') }),
    audit: dist.auditLog(),
    routes: routeDefinitionsFrom(o.config.routes)
  })
  const shared = new SharedStateLoader(routeState, dist.degraded, o.logger)
  const startedDegraded = dist.degraded.degraded
  if (!startedDegraded) {
    try {
      await shared.load()
    } catch (err) {
      await dist.close()
      throw err
    }
  }
  // Not loaded yet (Redis away since start): keep last-hit times in memory rather than write
  // them with an unknown firstStartedAt; the flush retries on its next tick.
  const persist = async (): Promise<void> => {
    if (!shared.loaded) throw new Error('shared route state not loaded yet (redis unreachable since start)')
    await routeState.persist()
  }
  routeState.lastHit.startFlushing(async () => { await persist() }, o.flushMs ?? 60_000)
  const legacy = o.config.legacy
  // A failed sample write keeps the sample local (listShared falls back too); logged once per
  // 100 failures so a Redis outage (already reported as degraded) does not flood the log.
  let mismatchWriteFailures = 0
  const shadowMismatchStore = dist.mismatchStore({
    onError: (err) => { if (mismatchWriteFailures++ % 100 === 0) o.logger.warn({ err, failures: mismatchWriteFailures }, 'distributed: shadow mismatch store write/read failed; samples kept locally') }
  })
  return {
    mode: startedDegraded ? 'degraded' : 'redis',
    routeState,
    audit: dist.auditLog(),
    // Both adapters use their local fallback (limits / expectedReplicas) while degraded and the
    // shared state otherwise, so the config itself is never divided here.
    protectionDeps: {
      legacyLimiter: dist.semaphore({ name: 'legacy', maxConcurrency: legacy.maxConcurrency, queue: legacy.queue }),
      asyncRateLimiter: dist.rateLimiter()
    },
    readinessCheck: () => {
      if (!shared.loaded && dist.degraded.degraded) return { ok: false, detail: `redis unreachable at start (${shared.startCause}): local fallback limits until it is back` }
      if (!shared.loaded) return { ok: false, detail: 'redis back: loading the shared route state' }
      return dist.readinessCheck()
    },
    shadowMismatchStore,
    registerMetrics: (registry) => { registerDegradedGauge(registry, dist.degraded) },
    async close () {
      shared.close()
      routeState.lastHit.stopFlushing()
      if (shared.loaded) await routeState.lastHit.flush(persist, (err) => { o.logger.warn({ err }, 'final last-hit flush failed') })
      await shadowMismatchStore.flushed() // bounded by the state client's 1 s command timeout
      await dist.close()
    }
  }
}
