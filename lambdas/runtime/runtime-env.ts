// The runtime shell's settings, read from the environment in this one place.
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface RuntimeEnv {
  host: string
  port: number
  templatePath: string
  parameterOverrides: Record<string, string>
  idleTimeoutMs: number
}

export class RuntimeEnvError extends Error {
  readonly code = 'LAMBDA_RUNTIME_ERR_ENV'
}

export function readRuntimeEnv (env: NodeJS.ProcessEnv = process.env): RuntimeEnv {
  const port = Number(env.LAMBDA_RUNTIME_PORT ?? 3001)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RuntimeEnvError(`LAMBDA_RUNTIME_PORT must be a port number, found "${env.LAMBDA_RUNTIME_PORT}"`)
  const idleTimeoutMs = Number(env.LAMBDA_IDLE_TIMEOUT_MS ?? 300_000)
  if (!Number.isFinite(idleTimeoutMs) || idleTimeoutMs <= 0) throw new RuntimeEnvError(`LAMBDA_IDLE_TIMEOUT_MS must be a positive number, found "${env.LAMBDA_IDLE_TIMEOUT_MS}"`)
  const parameterOverrides: Record<string, string> = {}
  if (env.LAMBDA_GATEWAY_BASE_URL) parameterOverrides.GatewayBaseUrl = env.LAMBDA_GATEWAY_BASE_URL
  const stage = env.LAMBDA_STAGE || env.STAGE_PARAM
  if (stage) parameterOverrides.Stage = stage
  const templatePath = env.LAMBDA_TEMPLATE ? resolve(env.LAMBDA_TEMPLATE) : defaultTemplatePath()
  if (!existsSync(templatePath)) throw new RuntimeEnvError(`template not found: ${templatePath} (set LAMBDA_TEMPLATE)`)
  return { host: env.LAMBDA_RUNTIME_HOST || '127.0.0.1', port, templatePath, parameterOverrides, idleTimeoutMs }
}

/** lambdas/template.yaml of the repository (or image) this module runs from, src or dist alike. */
function defaultTemplatePath (): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const candidate = join(dir, 'lambdas', 'template.yaml')
    if (existsSync(candidate)) return candidate
    const up = dirname(dir)
    if (up === dir) return join(process.cwd(), 'lambdas', 'template.yaml')
    dir = up
  }
}
