// The shell: load config → build → listen on both ports → handle SIGTERM/SIGINT.
// Shutdown is graceful and bounded: readiness flips to 503 (load balancers stop sending),
// the public listener stops accepting and closes idle keep-alive sockets, in-flight requests
// get up to `server.shutdownGraceMs` to finish, then the rest are cut; upstream pools close.
import { pathToFileURL } from 'node:url'
import type { FastifyBaseLogger } from 'fastify'
import { loadConfig } from './config/load-config.js'
import { readGatewayEnv } from './config/env.js'
import type { GatewayConfig } from './config/schema.js'
import { build } from './app.js'
import type { BuildDeps, GatewayApp } from './app.js'
import { AdminTokenRequiredError } from './errors.js'
import { createLogger } from './logging.js'
import { adminStartRefusal, parseAdminTokens } from './ops/admin-auth.js'

export interface StartOptions {
  /** Config file; default GATEWAY_CONFIG or config/gateway.yaml (resolved by loadConfig). */
  configPath?: string
  /** Stage overlay; default STAGE or dev. */
  stage?: string
  /** Environment for interpolation, tokens and LOG_LEVEL; default process.env. */
  env?: NodeJS.ProcessEnv
  /** An already loaded config (skips loadConfig). */
  config?: GatewayConfig
  /** Listen overrides (tests pass 0); default the config's server/admin host and port. */
  port?: number
  adminPort?: number
  logger?: FastifyBaseLogger
  deps?: Omit<BuildDeps, 'logger' | 'adminTokens'>
}

export interface RunningGateway {
  app: GatewayApp
  config: GatewayConfig
  /** http://host:port of the public listener. */
  url: string
  /** http://host:port of the admin listener. */
  adminUrl: string
  /** Graceful, bounded by server.shutdownGraceMs; idempotent. */
  stop (): Promise<void>
}

function urlOf (address: string | { address: string, port: number } | null): string {
  if (address === null || typeof address === 'string') return String(address)
  const host = address.address.includes(':') ? `[${address.address}]` : address.address
  return `http://${host}:${address.port}`
}

export async function startGateway (opts: StartOptions = {}): Promise<RunningGateway> {
  const env = opts.env ?? process.env
  const settings = readGatewayEnv(env)
  const config = opts.config ?? loadConfig({
    ...(opts.configPath ? { path: opts.configPath } : {}),
    ...(opts.stage ? { stage: opts.stage } : {}),
    env
  })
  const { tokens, errors } = parseAdminTokens({ GATEWAY_ADMIN_TOKEN: settings.adminToken, GATEWAY_ADMIN_TOKENS: settings.adminTokens })
  if (errors.length > 0) throw new AdminTokenRequiredError(errors.join('; '))
  const refusal = adminStartRefusal(config.admin.host, tokens)
  if (refusal) throw new AdminTokenRequiredError(refusal)
  const logger = opts.logger ?? createLogger({ level: settings.logLevel })
  const app = await build(config, { ...opts.deps, logger, adminTokens: tokens })
  try {
    await app.public.listen({ host: config.server.host, port: opts.port ?? config.server.port })
    await app.admin.listen({ host: config.admin.host, port: opts.adminPort ?? config.admin.port })
  } catch (err) {
    await app.close()
    throw err
  }
  app.context.lifecycle.listening = true
  const url = urlOf(app.public.server.address())
  const adminUrl = urlOf(app.admin.server.address())
  logger.info({ url, adminUrl, stage: config.stage, routes: config.routes.length }, 'gateway listening')

  let stopping: Promise<void> | undefined
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      app.context.lifecycle.draining = true
      const graceMs = config.server.shutdownGraceMs
      let timer: NodeJS.Timeout | undefined
      const deadline = new Promise<'timeout'>(resolve => { timer = setTimeout(() => resolve('timeout'), graceMs) })
      const closing = app.public.close().then(() => 'closed' as const)
      const first = await Promise.race([closing, deadline])
      clearTimeout(timer)
      if (first === 'timeout') {
        logger.warn({ graceMs }, 'shutdown grace period over: closing remaining connections')
        app.public.server.closeAllConnections()
        await closing
      }
      await app.admin.close()
      logger.info('gateway stopped')
    })()
    return stopping
  }
  return { app, config, url, adminUrl, stop }
}

/** `node dist/gateway/src/server.js`: start from the environment, exit 0 after a graceful stop. */
export async function main (): Promise<void> {
  let running: RunningGateway
  try {
    running = await startGateway()
  } catch (err) {
    process.stderr.write(`gateway: ${(err as Error).message}\n`)
    process.exit(1)
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      running.stop().then(() => process.exit(0), (err: unknown) => {
        process.stderr.write(`gateway: shutdown failed: ${(err as Error).message}\n`)
        process.exit(1)
      })
    })
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main().catch(() => process.exit(1))
