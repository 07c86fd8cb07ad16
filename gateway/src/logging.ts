// The gateway's pino logger. One JSON line per request is written by the request-log hook;
// Fastify's own per-request lines are switched off in app.ts. Secrets never reach the log:
// credentials in headers are redacted wherever a headers object is logged, and so is the
// admin token if anything ever logs the config or env.
import pino from 'pino'
import type { Bindings, ChildLoggerOptions, DestinationStream, Logger, LoggerOptions } from 'pino'
import type { FastifyBaseLogger } from 'fastify'

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

/**
 * Fastify's per-request logger (`request.log`), created on first use. Fastify builds a child
 * logger for every request; with the redact paths above pino runs its wildcard redactor over
 * the child's bindings when it is created, which costs more than the rest of the request log
 * (bench/README.md, "hot path") — and most requests never log through request.log (the
 * request line goes through the app logger). The pino child, with the same bindings and
 * options, is made the first time something logs through it, so its lines are unchanged.
 */
class LazyRequestLogger implements FastifyBaseLogger {
  #parent: FastifyBaseLogger
  #bindings: Bindings
  #options: ChildLoggerOptions
  #real: FastifyBaseLogger | undefined

  constructor (parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent
    this.#bindings = bindings
    this.#options = options
  }

  #logger (): FastifyBaseLogger {
    return (this.#real ??= this.#parent.child(this.#bindings, this.#options))
  }

  get level (): string { return this.#real?.level ?? this.#options.level ?? this.#parent.level }
  set level (level: string) { this.#logger().level = level }

  // Prototype methods, not arrow fields: nothing is allocated per request but this object.
  fatal (...args: unknown[]): void { this.#log('fatal', args) }
  error (...args: unknown[]): void { this.#log('error', args) }
  warn (...args: unknown[]): void { this.#log('warn', args) }
  info (...args: unknown[]): void { this.#log('info', args) }
  debug (...args: unknown[]): void { this.#log('debug', args) }
  trace (...args: unknown[]): void { this.#log('trace', args) }
  silent (): void {}

  #log (level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace', args: unknown[]): void {
    const logger = this.#logger()
    ;(logger[level] as (...a: unknown[]) => void).apply(logger, args)
  }

  child (bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#logger().child(bindings, options)
  }
}

/** Fastify `childLoggerFactory`: request.log as a LazyRequestLogger (same lines, made on first use). */
export function lazyChildLogger (logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new LazyRequestLogger(logger, bindings, options)
}
