// The local stack's services in ONE place: what `npm start` (scripts/start-stack.ts) starts and
// what docker-compose.yml must mirror (test/unit/compose-matches-npm-start.test.ts compares the
// two). Names are the compose service names; ports and env names are the contract's
// (ARCHITECTURE.md "Commands", "Environment").

export interface StackService {
  /** docker-compose service name. */
  name: 'legacy-stub' | 'lambdas' | 'gateway'
  /** Contract ports, the first being the service's main one. */
  ports: number[]
  /** Env var that sets the bind address, and the one that sets the main port. */
  hostEnv: string
  portEnv: string
  /** Every env var the service reads (host/port vars included). */
  env: string[]
  /** Config file the service reads, relative to the repository root (if any). */
  config?: string
}

export const LEGACY_STUB: StackService = {
  name: 'legacy-stub',
  ports: [5000],
  hostEnv: 'LEGACY_STUB_HOST',
  portEnv: 'LEGACY_STUB_PORT',
  env: ['LEGACY_STUB_HOST', 'LEGACY_STUB_PORT', 'LEGACY_MAX_CONCURRENCY', 'LEGACY_LATENCY_MS', 'LEGACY_QUEUE_LIMIT']
}

export const LAMBDA_RUNTIME: StackService = {
  name: 'lambdas',
  ports: [3001],
  hostEnv: 'LAMBDA_RUNTIME_HOST',
  portEnv: 'LAMBDA_RUNTIME_PORT',
  env: ['LAMBDA_RUNTIME_HOST', 'LAMBDA_RUNTIME_PORT', 'LAMBDA_TEMPLATE', 'LAMBDA_GATEWAY_BASE_URL'],
  config: 'lambdas/template.yaml'
}

export const GATEWAY: StackService = {
  name: 'gateway',
  ports: [8080, 9090],
  hostEnv: 'GATEWAY_HOST',
  portEnv: 'PORT',
  env: [
    'GATEWAY_CONFIG', 'STAGE', 'GATEWAY_HOST', 'PORT', 'ADMIN_HOST', 'ADMIN_PORT', 'GATEWAY_ADMIN_TOKEN',
    'LEGACY_URL', 'LAMBDA_ENDPOINT', 'AWS_REGION', 'LOG_LEVEL', 'REDIS_URL',
    'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_SERVICE_NAME'
  ],
  config: 'config/gateway.yaml'
}

/** In start order: the gateway needs both upstreams' URLs. */
export const STACK_SERVICES: readonly StackService[] = [LEGACY_STUB, LAMBDA_RUNTIME, GATEWAY]
