// The gateway's pino logger. One JSON line per request is written by the request-log hook;
// Fastify's own per-request lines are switched off in app.ts. Secrets never reach the log:
// credentials in headers are redacted wherever a headers object is logged, and so is the
// admin token if anything ever logs the config or env.
import pino from 'pino'
import type { DestinationStream, Logger, LoggerOptions } from 'pino'

const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-api-key', 'proxy-authorization']

/** pino redact paths: headers at the top level, one level down (req.headers), two levels down. */
export const REDACT_PATHS: string[] = [
  ...SECRET_HEADERS.flatMap(h => [`headers["${h}"]`, `*.headers["${h}"]`, `*.*.headers["${h}"]`]),
  'adminToken', '*.adminToken', 'GATEWAY_ADMIN_TOKEN', '*.GATEWAY_ADMIN_TOKEN', 'token', '*.token'
]

export interface LoggerSetup {
  /** pino level; default `LOG_LEVEL` as passed by the shell, else `info`. */
  level?: string
  /** Where lines go; default stdout. Tests pass a stream to assert whole lines. */
  stream?: DestinationStream
}

export function createLogger (setup: LoggerSetup = {}): Logger {
  const options: LoggerOptions = {
    level: setup.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    base: { service: 'gateway' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) }
  }
  return setup.stream ? pino(options, setup.stream) : pino(options)
}
