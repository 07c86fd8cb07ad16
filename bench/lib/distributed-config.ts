// Pure: the gateway config of the distributed-state scenario. Every protection whose state
// distributed mode shares is on, with headroom so none sheds: per request one token-bucket
// decision (global + per-client bucket, one Lua script) and one legacy permit (acquire + release).
// The same document runs in-memory (no REDIS_URL) and shared (REDIS_URL): only where the state
// lives differs, which is what the scenario measures.

const HEADROOM = { perSecond: 1_000_000, burst: 100_000 }

export const DISTRIBUTED_ROUTE_PATH = '/api/budgets/1'

export function distributedGatewayConfig (o: { legacyUrl: string, keyPrefix: string, replicas: number }): Record<string, unknown> {
  return {
    stage: 'dev',
    server: { host: '127.0.0.1', port: 0 },
    admin: { host: '127.0.0.1', port: 0 },
    legacy: {
      url: o.legacyUrl,
      timeoutMs: 5000,
      connections: 128,
      maxConcurrency: 1024,
      queue: { maxSize: 1024, maxWaitMs: 1000 },
      rateLimit: HEADROOM,
      clientRateLimit: { ...HEADROOM, key: 'ip' },
      breaker: { errorThresholdPercentage: 50, volumeThreshold: 20, resetTimeoutMs: 5000 }
    },
    lambda: { endpoint: '', region: 'eu-central-1' },
    routes: [{ id: 'budgets.get', methods: ['GET'], path: '/api/budgets/:projectId', target: 'legacy' }],
    distributed: { expectedReplicas: o.replicas, keyPrefix: o.keyPrefix }
  }
}
