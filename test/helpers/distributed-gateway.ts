// A gateway replica in distributed mode for tests, wired through build()'s existing seams
// (protection, routeState, readiness) because the app has no REDIS_URL wiring yet:
// route state + audit in Redis, the legacy shield's permits from the shared RedisSemaphore.
// The legacy Shield is swapped into Protection by test-only surgery (Object.defineProperty and a
// cast of the semaphore to the class type) — exactly the two seams docs/distributed.md asks
// protection.ts/shield.ts to open (a `legacyLimiter` dep typed as PermitLimiter).
import type { Test } from 'tap'
import type { GatewayConfig } from '../../gateway/src/config/schema.js'
import { openDistributed } from '../../gateway/src/distributed/open-distributed.js'
import type { Distributed } from '../../gateway/src/distributed/open-distributed.js'
import { routeDefinitionsFrom } from '../../gateway/src/ops/route-state-setup.js'
import { RouteStateService } from '../../gateway/src/ops/route-state-service.js'
import type { ConcurrencyLimiter } from '../../gateway/src/protection/concurrency-limiter.js'
import { Protection } from '../../gateway/src/protection/protection.js'
import { Shield } from '../../gateway/src/protection/shield.js'
import { startTestGateway } from './gateway.js'
import type { TestGateway } from './gateway.js'

export interface ReplicaOptions {
  redisUrl: string
  keyPrefix: string
  expectedReplicas: number
  maxConcurrency: number
  queue: { maxSize: number, maxWaitMs: number }
  leaseTtlMs?: number
  redisTimeoutMs?: number
}

export interface DistributedReplica extends TestGateway {
  dist: Distributed
  routeState: RouteStateService
}

const OPEN = { perSecond: 1e6, burst: 1e6 }

export async function startDistributedReplica (t: Test, config: GatewayConfig, o: ReplicaOptions, name: string): Promise<DistributedReplica> {
  const dist = await openDistributed({
    url: o.redisUrl,
    replicaName: name,
    config: { expectedReplicas: o.expectedReplicas, redisTimeoutMs: o.redisTimeoutMs ?? 50, leaseTtlMs: o.leaseTtlMs ?? 5000, keyPrefix: o.keyPrefix }
  })
  const routeState = new RouteStateService({ store: dist.stateStore(), audit: dist.auditLog(), routes: routeDefinitionsFrom(config.routes) })
  await routeState.init()
  const protection = new Protection({ maxConcurrency: o.maxConcurrency, queue: o.queue, rateLimit: OPEN })
  const semaphore = dist.semaphore({ name: 'legacy', maxConcurrency: o.maxConcurrency, queue: o.queue })
  const legacy = new Shield({
    name: 'legacy',
    limiter: semaphore as unknown as ConcurrencyLimiter,
    breakers: protection.breakers,
    breaker: {},
    rateLimiter: protection.rateLimiter,
    globalRateLimit: OPEN
  })
  Object.defineProperty(protection, 'legacy', { value: legacy })
  const gw = await startTestGateway(t, config, { routeState: { get: id => routeState.get(id) }, protection })
  gw.app.context.readiness.addCheck('redis', dist.readinessCheck)
  // Closing Redis before or after the gateway is safe either way: both closes are idempotent.
  t.teardown(() => dist.close())
  return { ...gw, dist, routeState }
}
