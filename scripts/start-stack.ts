// `npm start`: the whole local stack in one process, no Docker, no Redis — legacy-stub (:5000),
// the Lambda local runtime (:3001, lambdas/template.yaml) and the gateway (:8080, admin
// 127.0.0.1:9090) with config/gateway.yaml. The services are imported, not spawned, so one
// Ctrl-C/SIGTERM stops them in reverse order (gateway drains first) and the exit code is honest.
// Env names and ports: scripts/stack-services.ts (docker-compose.yml mirrors them).
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { guardProcess, startGateway } from '../gateway/src/server.js'
import type { RunningGateway } from '../gateway/src/server.js'
import type { FastifyBaseLogger } from 'fastify'
import { startLegacyStub } from '../legacy-stub/src/start.js'
import { capacityFromEnv, listenFromEnv } from '../legacy-stub/src/config.js'
import { startLambdaRuntime } from '../lambdas/runtime/start.js'
import { GATEWAY, LAMBDA_RUNTIME } from './stack-services.js'
import { isLoopbackHost } from '../gateway/src/ops/admin-auth.js'
import { ensureLocalToken, localTokenPath } from '../gateway/src/cockpit/local-token.js'

interface Stoppable { name: string, stop: () => Promise<void> }

/** The repository root: the nearest directory above this file with a package.json
 * (this file runs as scripts/start-stack.ts under tsx and as dist/scripts/start-stack.js). */
export function repoRoot (from = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir)
    if (up === dir) throw new Error('cannot find the repository root (package.json)')
    dir = up
  }
  return dir
}

function intEnv (env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number, found "${raw}"`)
  return n
}

export interface RunningStack {
  legacyUrl: string
  lambdaUrl: string
  /** Where the generated admin token is, when none was given (loopback admin only). */
  localToken?: { path: string, token: string, created: boolean }
  gateway: RunningGateway
  /** Stops the gateway (graceful), then the runtime, then the stub. Idempotent. */
  stop: () => Promise<void>
}

export interface StackOptions {
  /** The gateway's logger (tests capture its lines); default pino on stdout at LOG_LEVEL. */
  gatewayLogger?: FastifyBaseLogger
}

export async function startStack (env: NodeJS.ProcessEnv = process.env, opts: StackOptions = {}): Promise<RunningStack> {
  const root = repoRoot()
  const started: Stoppable[] = []
  const stopAll = async (): Promise<void> => {
    for (const s of started.reverse().splice(0)) {
      try { await s.stop() } catch (err) { console.error(`stack: stopping ${s.name} failed:`, err) }
    }
  }
  try {
    const stub = await startLegacyStub({ ...listenFromEnv(env), ...capacityFromEnv(env), logger: { level: env.LOG_LEVEL === 'debug' ? 'info' : 'warn' } })
    started.push({ name: 'legacy-stub', stop: stub.close })

    const gatewayPort = intEnv(env, GATEWAY.portEnv, GATEWAY.ports[0] ?? 8080)
    const gatewayHost = env[GATEWAY.hostEnv] || '127.0.0.1'
    const runtime = await startLambdaRuntime({
      templatePath: env.LAMBDA_TEMPLATE || resolve(root, LAMBDA_RUNTIME.config ?? 'lambdas/template.yaml'),
      host: env[LAMBDA_RUNTIME.hostEnv] || '127.0.0.1',
      port: intEnv(env, LAMBDA_RUNTIME.portEnv, LAMBDA_RUNTIME.ports[0] ?? 3001),
      parameterOverrides: {
        GatewayBaseUrl: env.LAMBDA_GATEWAY_BASE_URL || `http://${gatewayHost === '0.0.0.0' ? '127.0.0.1' : gatewayHost}:${gatewayPort}`
      }
    })
    started.push({ name: 'lambda-runtime', stop: async () => { await runtime.close() } })

    // No admin token on a loopback admin listener: one is generated (kept in the state dir, 0600).
    const adminHost = env.ADMIN_HOST || '127.0.0.1'
    const localToken = !env.GATEWAY_ADMIN_TOKEN && !env.GATEWAY_ADMIN_TOKENS && isLoopbackHost(adminHost)
      ? { path: localTokenPath(env), ...ensureLocalToken(localTokenPath(env)) }
      : undefined
    const gateway = await startGateway({
      ...(opts.gatewayLogger ? { logger: opts.gatewayLogger } : {}),
      configPath: env.GATEWAY_CONFIG || resolve(root, GATEWAY.config ?? 'config/gateway.yaml'),
      env: {
        ...env,
        ...(localToken ? { GATEWAY_ADMIN_TOKEN: localToken.token } : {}),
        // The local upstreams unless the caller points elsewhere (LAMBDA_ENDPOINT='' = real AWS).
        LEGACY_URL: env.LEGACY_URL ?? stub.url,
        LAMBDA_ENDPOINT: env.LAMBDA_ENDPOINT ?? runtime.url
      }
    })
    started.push({ name: 'gateway', stop: gateway.stop })
    let stopping: Promise<void> | undefined
    return { legacyUrl: stub.url, lambdaUrl: runtime.url, gateway, ...(localToken ? { localToken } : {}), stop: () => (stopping ??= stopAll()) }
  } catch (err) {
    await stopAll()
    throw err
  }
}

/** What `npm start` prints: the URLs, and the login hint (the token is never put in a URL). */
export function stackBanner (stack: RunningStack): string {
  return [
    '',
    'strangler gateway stack is up:',
    `  gateway         ${stack.gateway.url}   (try: curl -i ${stack.gateway.url}/api/users/1)`,
    `  admin           ${stack.gateway.adminUrl}   (/healthz /readyz /metrics)`,
    `  cockpit         ${stack.gateway.adminUrl}/ui/`,
    ...stack.localToken
      ? [`                  log in with the admin token in ${stack.localToken.path}${stack.localToken.created ? ' (generated now)' : ''}:`,
          `                  ${stack.localToken.token}`,
          '                  (npx gatewayctl on this machine uses that file too)']
      : ['                  log in with GATEWAY_ADMIN_TOKEN'],
    `  legacy-stub     ${stack.legacyUrl}`,
    `  lambda runtime  ${stack.lambdaUrl}`,
    'Ctrl-C stops everything.',
    ''
  ].join('\n')
}

async function main (): Promise<void> {
  let stack: RunningStack
  try {
    stack = await startStack()
  } catch (err) {
    console.error(`npm start: ${(err as Error).message}`)
    process.exit(1)
  }
  console.log(stackBanner(stack))
  // One request must never take the whole stack down (gateway_internal_errors_total counts it).
  guardProcess(stack.gateway)
  let signals = 0
  const onSignal = (signal: NodeJS.Signals): void => {
    if (++signals > 1) {
      console.error(`stack: second ${signal}, exiting now`)
      process.exit(1)
    }
    console.log(`stack: ${signal}, stopping (gateway drains in-flight requests first)…`)
    stack.stop().then(() => process.exit(0), () => process.exit(1))
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
}

const entry = process.argv[1]
if (entry !== undefined && import.meta.url === new URL(`file://${resolve(entry)}`).href) {
  main().catch((err: unknown) => {
    console.error('npm start failed:', err)
    process.exit(1)
  })
}
