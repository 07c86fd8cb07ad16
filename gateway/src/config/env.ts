// The one place the gateway reads process.env. Settings that belong in the config file are
// interpolated into it (`${PORT:-8080}`); what is NOT config — the config file's own location,
// the stage, the log level, the Redis URL and the admin token — is read here. The admin token is a
// secret: it never enters the config object, and printing or serialising GatewayEnv redacts it.
import { inspect } from 'node:util'
import { configInvalid, renderValue } from './config-problem.js'

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
  /** GATEWAY_ADMIN_TOKEN; undefined when unset or empty. Redacted in JSON.stringify / util.inspect. */
  readonly adminToken: string | undefined
}

const REDACTED = '[redacted]'

/** The process settings that live outside the config file. Throws ConfigInvalidError on bad values. */
export function readGatewayEnv (env: NodeJS.ProcessEnv = process.env): GatewayEnv {
  const problems = []
  const stage = nonEmpty(env.STAGE) ?? DEFAULT_STAGE
  if (!STAGE_PATTERN.test(stage)) problems.push({ path: 'env.STAGE', message: `expected a lower-case stage name like dev or prod, found ${renderValue(stage)}` })
  const logLevel = nonEmpty(env.LOG_LEVEL) ?? 'info'
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push({ path: 'env.LOG_LEVEL', message: `expected one of ${LOG_LEVELS.join('|')}, found ${renderValue(logLevel)}` })
  }
  if (problems.length > 0) throw configInvalid(problems, ['the environment'])
  const adminToken = nonEmpty(env.GATEWAY_ADMIN_TOKEN)
  const out = {
    configPath: nonEmpty(env.GATEWAY_CONFIG) ?? DEFAULT_CONFIG_PATH,
    stage,
    logLevel: logLevel as LogLevel,
    redisUrl: nonEmpty(env.REDIS_URL)
  }
  // Non-enumerable secret + custom serialisers: `log.info({ env })` or `console.log(env)` cannot leak it.
  Object.defineProperty(out, 'adminToken', { value: adminToken, enumerable: false })
  Object.defineProperty(out, 'toJSON', { value: () => ({ ...out, adminToken: adminToken === undefined ? undefined : REDACTED }), enumerable: false })
  Object.defineProperty(out, inspect.custom, { value: () => ({ ...out, adminToken: adminToken === undefined ? undefined : REDACTED }), enumerable: false })
  return Object.freeze(out) as GatewayEnv
}

function nonEmpty (v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v
}
