// What a contender child runs (JSON in argv[2]) and how it says it is ready.
import type { GatewayProfile } from './gateway-config.js'

export const READY_PREFIX = 'BENCH_READY '

export type ChildSpec =
  | { kind: 'origin' }
  | { kind: 'bare-proxy', upstream: string }
  | { kind: 'gateway', profile: GatewayProfile, legacyUrl: string, lambdaEndpoint?: string, otel?: Record<string, string> }
  | { kind: 'otlp-sink' }
  | { kind: 'legacy-stub', maxConcurrency: number, latencyMs: number, queueLimit: number }
  | { kind: 'lambda-runtime' }
