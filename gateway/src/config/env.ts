// The one place the gateway reads process.env. Settings that belong in the config file are
// interpolated into it (`${PORT:-8080}`); what is NOT config — the config file's own location,
// the stage, the log level, Redis, the state directory and the secrets — is read here. Secrets
// never enter the config object, and printing or serialising a GatewayEnv redacts them.
import { inspect } from 'node:util'
import { configInvalid, renderValue } from './config-problem.js'
import type { ConfigProblem } from './config-problem.js'
import { readTracingEnv } from '../tracing/otel-env.js'
import type { TracingSettings } from '../tracing/otel-env.js'

export const DEFAULT_CONFIG_PATH = 'config/gateway.yaml'
export const DEFAULT_STAGE = 'dev'
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = typeof LOG_LEVELS[number]
export const STAGE_PATTERN = /^[a-z0-9][a-z0-9-]*$/

export interface GatewayEnv {
  /** GATEWAY_CONFIG, default config/gateway.yaml (relative to the working directory). */
  readonly configPath: string
  /** STAGE, default dev; selects config/stages/<stage>.yaml. */
  readonly stage: string
  /** LOG_LEVEL, default info. */
  readonly logLevel: LogLevel
  /** REDIS_URL; undefined → in-process state. */
  readonly redisUrl: string | undefined
  /** GATEWAY_STATE_DIR; undefined → the config's state directory. */
  readonly stateDir: string | undefined
  /** The standard OTEL_* variables (tracing/otel-env.ts); off without an OTLP endpoint. Not
   * enumerable, like the secrets: OTEL_EXPORTER_OTLP_HEADERS often holds a backend's API key. */
  readonly tracing: TracingSettings
  /** Secret: GATEWAY_ADMIN_TOKEN (undefined when unset or empty). */
  readonly adminToken: string | undefined
  /** Secret: GATEWAY_ADMIN_TOKENS, the raw `name:token,…` list (undefined when unset or empty). */
  readonly adminTokens: string | undefined
  /** Secret: GATEWAY_OVERRIDE_SECRET (tester override header), undefined when unset or empty. */
  readonly overrideSecret: string | undefined
}

const SECRET_KEYS = ['adminToken', 'adminTokens', 'overrideSecret'] as const
const REDACTED = '[redacted]'

function nonEmpty (v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v
}

/**
 * The process settings that live outside the config file. Secrets are non-enumerable and shown
 * as `[redacted]` by JSON.stringify and util.inspect (so `log.info({ env })` cannot leak them);
 * read them by name. Throws ConfigInvalidError for a bad STAGE or LOG_LEVEL.
 */
export function readGatewayEnv (env: NodeJS.ProcessEnv = process.env): GatewayEnv {
  const problems: ConfigProblem[] = []
  const stage = nonEmpty(env.STAGE) ?? DEFAULT_STAGE
  if (!STAGE_PATTERN.test(stage)) problems.push({ path: 'STAGE', message: `expected a lower-case stage name like dev or prod, found ${renderValue(stage)}` })
  const logLevel = nonEmpty(env.LOG_LEVEL) ?? 'info'
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push({ path: 'LOG_LEVEL', message: `expected one of ${LOG_LEVELS.join('|')}, found ${renderValue(logLevel)}` })
  }
  const tracing = readTracingEnv(env)
  problems.push(...tracing.problems)
  if (problems.length > 0) throw configInvalid(problems, ['the environment'])

  const plain = {
    configPath: nonEmpty(env.GATEWAY_CONFIG) ?? DEFAULT_CONFIG_PATH,
    stage,
    logLevel: logLevel as LogLevel,
    redisUrl: nonEmpty(env.REDIS_URL),
    stateDir: nonEmpty(env.GATEWAY_STATE_DIR)
  }
  const secrets = {
    adminToken: nonEmpty(env.GATEWAY_ADMIN_TOKEN),
    adminTokens: nonEmpty(env.GATEWAY_ADMIN_TOKENS),
    overrideSecret: nonEmpty(env.GATEWAY_OVERRIDE_SECRET)
  }
  const printable = (): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...plain }
    for (const key of SECRET_KEYS) out[key] = secrets[key] === undefined ? undefined : REDACTED
    return out
  }
  const result = { ...plain }
  for (const key of SECRET_KEYS) Object.defineProperty(result, key, { value: secrets[key], enumerable: false })
  Object.defineProperty(result, 'tracing', { value: tracing.settings, enumerable: false })
  Object.defineProperty(result, 'toJSON', { value: printable, enumerable: false })
  Object.defineProperty(result, inspect.custom, { value: printable, enumerable: false })
  return Object.freeze(result) as GatewayEnv
}
