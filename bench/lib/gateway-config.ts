// Pure: the gateway configs the benchmarks run, as plain objects (written as JSON, which is YAML).
// Profiles:
//   configured — every legacy protection configured with headroom so none triggers under the
//                overhead load: it measures the cost of the checks, not of shedding.
//   full       — every protection feature on (global + per-client + per-route token buckets,
//                upstream + route breakers, concurrency cap with headroom + queue, retry budget,
//                adaptive limit), still with headroom.
//   shield     — the shipped defaults for a legacy of capacity 8 × 20 ms (config/gateway.yaml):
//                cap 8, queue 64 / 250 ms, breaker; rate limit raised to the capacity (400/s).
//   shield-retries — shield plus the retry budget (2 attempts, retries ≤ 20% of active requests).
//   lambda     — a Lambda route (Users) capped at its reserved concurrency.

export type GatewayProfile = 'configured' | 'full' | 'shield' | 'shield-retries' | 'lambda'

export interface GatewayTargets {
  legacyUrl: string
  lambdaEndpoint?: string
}

/** The legacy route the overhead scenarios hit (a static route id shows in metrics). */
export const LEGACY_ROUTE_PATH = '/api/budgets/1'
export const LAMBDA_ROUTE_PATH = '/api/users/1'
export const LAMBDA_FUNCTION = 'Users-DEV'

const HEADROOM = { perSecond: 1_000_000, burst: 100_000 }

function legacySection (profile: GatewayProfile, legacyUrl: string): Record<string, unknown> {
  const base = { url: legacyUrl, timeoutMs: 5000, connections: 128 }
  if (profile === 'shield' || profile === 'shield-retries') {
    const retries = profile === 'shield-retries' ? { bufferedRetries: { enabled: true, maxAttempts: 2, budgetPercent: 20 } } : {}
    return { ...base, ...retries, connections: 64, maxConcurrency: 8, queue: { maxSize: 64, maxWaitMs: 250 }, rateLimit: { perSecond: 400, burst: 100 }, breaker: { errorThresholdPercentage: 50, volumeThreshold: 20, resetTimeoutMs: 5000 } }
  }
  const configured = { ...base, maxConcurrency: 1024, queue: { maxSize: 1024, maxWaitMs: 1000 }, rateLimit: HEADROOM, breaker: { errorThresholdPercentage: 50, volumeThreshold: 20, resetTimeoutMs: 5000 } }
  if (profile !== 'full') return configured
  return {
    ...configured,
    clientRateLimit: { ...HEADROOM, key: 'ip' },
    bufferedRetries: { enabled: true, maxAttempts: 2, budgetPercent: 20 },
    adaptive: { enabled: true, minConcurrency: 256, latencyThresholdMs: 500 }
  }
}

function routes (profile: GatewayProfile): unknown[] {
  const legacyRoute: Record<string, unknown> = { id: 'budgets.get', methods: ['GET'], path: '/api/budgets/:projectId', target: 'legacy' }
  if (profile === 'full') Object.assign(legacyRoute, { priority: 10, rateLimit: HEADROOM, breaker: { errorThresholdPercentage: 50, volumeThreshold: 20, resetTimeoutMs: 5000 } })
  const lambdaRoute = {
    id: 'users.get',
    methods: ['GET'],
    path: '/api/users/:id',
    target: 'lambda',
    lambda: { function: LAMBDA_FUNCTION, timeoutMs: 3000, maxConcurrency: 10 },
    fallback: 'none'
  }
  return [legacyRoute, lambdaRoute]
}

export function gatewayConfig (profile: GatewayProfile, targets: GatewayTargets): Record<string, unknown> {
  return {
    stage: 'dev',
    server: { host: '127.0.0.1', port: 0, exposeRoutingHeaders: true },
    admin: { host: '127.0.0.1', port: 0 },
    legacy: legacySection(profile, targets.legacyUrl),
    lambda: { endpoint: targets.lambdaEndpoint ?? '', region: 'eu-central-1' },
    routes: routes(profile)
  }
}
