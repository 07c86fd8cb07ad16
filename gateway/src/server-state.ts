// Where a gateway process keeps what it shares: the embedded default (route state + audit in a
// state directory, limits in process) or, with REDIS_URL, distributed mode (route state, audit,
// legacy permits and token buckets in Redis; docs/distributed.md). If Redis cannot be reached at
// start the gateway still starts, degraded: it logs it, reports not-ready (/readyz check
// `redis`), keeps its state in the state directory and enforces the legacy limits divided by
// `distributed.expectedReplicas`, so K replicas together stay near the configured limits.
import type { FastifyBaseLogger } from 'fastify'
import type { GatewayConfig } from './config/schema.js'
import type { CheckResult } from './ops/health.js'
import type { AuditLog } from './ops/audit-log.js'
import { openFileRouteState, routeDefinitionsFrom } from './ops/route-state-setup.js'
import { RouteStateService } from './ops/route-state-service.js'
import { openDistributed } from './distributed/open-distributed.js'
import type { ProtectionDeps } from './protection/protection.js'

export type StateMode = 'file' | 'redis' | 'degraded'

export interface ProcessState {
  mode: StateMode
  routeState: RouteStateService
  audit: AuditLog
  /** Shared legacy permits and buckets (redis mode only). */
  protectionDeps: Pick<ProtectionDeps, 'legacyLimiter' | 'asyncRateLimiter'> | undefined
  /** `/readyz` check `redis` (distributed modes only). */
  readinessCheck: (() => CheckResult) | undefined
  /** Applied to every loaded config (degraded mode: the per-replica share of the legacy limits). */
  adjustConfig: (config: GatewayConfig) => GatewayConfig
  close: () => Promise<void>
}

export interface OpenProcessStateOptions {
  config: GatewayConfig
  stateDir: string
  redisUrl: string | undefined
  logger: FastifyBaseLogger
  flushMs?: number
}

const DISTRIBUTED_DEFAULTS = { expectedReplicas: 1, redisTimeoutMs: 50, leaseTtlMs: 5000, keyPrefix: 'gw:' }

/** The legacy cap and global rate divided by the replica count (never below 1). */
export function perReplicaShare (config: GatewayConfig, replicas: number): GatewayConfig {
  if (replicas <= 1) return config
  const share = (n: number): number => Math.max(1, Math.floor(n / replicas))
  const legacy = config.legacy
  return {
    ...config,
    legacy: {
      ...legacy,
      maxConcurrency: share(legacy.maxConcurrency),
      ...(legacy.rateLimit ? { rateLimit: { perSecond: Math.max(1e-3, legacy.rateLimit.perSecond / replicas), burst: share(legacy.rateLimit.burst) } } : {})
    }
  }
}

async function fileState (o: OpenProcessStateOptions, mode: StateMode, extra: Partial<ProcessState>): Promise<ProcessState> {
  const state = await openFileRouteState({
    dir: o.stateDir,
    routes: routeDefinitionsFrom(o.config.routes),
    ...(o.flushMs === undefined ? {} : { flushMs: o.flushMs }),
    onFlushError: (err) => { o.logger.warn({ err, stateDir: o.stateDir }, 'last-hit flush failed; retried on the next tick') }
  })
  return {
    mode,
    routeState: state.routeState,
    audit: state.audit,
    protectionDeps: undefined,
    readinessCheck: undefined,
    adjustConfig: (c) => c,
    close: state.close,
    ...extra
  }
}

export async function openProcessState (o: OpenProcessStateOptions): Promise<ProcessState> {
  if (o.redisUrl === undefined) return await fileState(o, 'file', {})
  const settings = { ...DISTRIBUTED_DEFAULTS, ...o.config.distributed }
  let dist
  try {
    dist = await openDistributed({ url: o.redisUrl, config: settings, logger: o.logger })
  } catch (err) {
    const reason = (err as Error).message
    o.logger.error({ distributed: 'degraded', err: reason, expectedReplicas: settings.expectedReplicas },
      'Redis unreachable at start: serving with local state and the per-replica share of the legacy limits; not ready until restarted with Redis up')
    const adjustConfig = (c: GatewayConfig): GatewayConfig => perReplicaShare(c, settings.expectedReplicas)
    return await fileState(o, 'degraded', {
      readinessCheck: () => ({ ok: false, detail: `redis unreachable at start (${reason}): local state and limits` }),
      adjustConfig
    })
  }
  const routeState = new RouteStateService({
    store: dist.stateStore((err) => { o.logger.warn({ err }, 'distributed: route state sync failed') }),
    audit: dist.auditLog(),
    routes: routeDefinitionsFrom(o.config.routes)
  })
  try {
    await routeState.init()
  } catch (err) {
    await dist.close()
    throw err
  }
  const persist = (): Promise<void> => routeState.persist()
  routeState.lastHit.startFlushing(async () => { await persist() }, o.flushMs ?? 60_000)
  const legacy = o.config.legacy
  return {
    mode: 'redis',
    routeState,
    audit: dist.auditLog(),
    protectionDeps: {
      legacyLimiter: dist.semaphore({ name: 'legacy', maxConcurrency: legacy.maxConcurrency, queue: { maxSize: legacy.queue?.maxSize ?? 64, maxWaitMs: legacy.queue?.maxWaitMs ?? 250 } }),
      asyncRateLimiter: dist.rateLimiter()
    },
    readinessCheck: dist.readinessCheck,
    adjustConfig: (c) => c,
    async close () {
      routeState.lastHit.stopFlushing()
      await routeState.lastHit.flush(persist, (err) => { o.logger.warn({ err }, 'final last-hit flush failed') })
      await dist.close()
    }
  }
}
