// onResponse: the one log line per request and the request metrics. Fastify's own
// per-request lines are disabled (app.ts) so every field an operator needs is on this line.
import type { FastifyBaseLogger, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import type { Logger } from 'pino'
import type {} from '../tracing/tracing.plugin.js'

export interface RequestLogLine {
  requestId: string
  route: string
  target: string
  method: string
  path: string
  status: number
  durationMs: number
  upstreamMs?: number
  rejection?: string
  errorCode?: string
  function?: string
  coldStart?: boolean
  billedDurationMs?: number
  initDurationMs?: number
  aborted?: boolean
  /** The trace the request belongs to (tracing/tracing.plugin.ts); spanId: the gateway's server span (tracing on). */
  traceId?: string
  spanId?: string
}

const round = (ms: number): number => Math.round(ms * 100) / 100

/** The onResponse hook, callback style: no promise and microtask per request. */
export function requestLogHook (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  logRequest(request, reply)
  done()
}

/** Writes the request's log line and metrics (also for requests no hook ran for: app.ts frameworkErrors). */
export function logRequest (request: FastifyRequest, reply: FastifyReply): void {
  const ctx = request.server.gateway
  // Requests Fastify rejected before onRequest ran (e.g. a malformed URL) carry no decision.
  const routing = request.routing ?? { routeId: 'default', target: 'none', path: request.url }
  const outcome = request.outcome ?? { startedAt: performance.now() }
  const durationMs = performance.now() - outcome.startedAt
  const status = reply.statusCode

  const m = ctx.metrics
  m.recordRequest(routing.routeId, routing.target, status, durationMs / 1000)
  ctx.timeSeries?.record(routing.routeId, routing.target, status, durationMs)
  if (outcome.rejection) m.rejections.inc({ route: routing.routeId, reason: outcome.rejection })

  // The line is built only when it would be written (the benchmarks run at level silent).
  const level = status >= 500 ? 'error' : 'info'
  if (!levelEnabled(ctx.logger, level)) return
  const line: RequestLogLine = {
    requestId: request.id,
    route: routing.routeId,
    target: routing.target,
    method: request.method,
    path: routing.path,
    status,
    durationMs: round(durationMs)
  }
  if (outcome.upstreamMs !== undefined) line.upstreamMs = round(outcome.upstreamMs)
  if (outcome.rejection) line.rejection = outcome.rejection
  if (outcome.errorCode) line.errorCode = outcome.errorCode
  if (outcome.lambda) {
    line.function = outcome.lambda.function
    if (outcome.lambda.coldStart !== undefined) line.coldStart = outcome.lambda.coldStart
    if (outcome.lambda.billedMs !== undefined) line.billedDurationMs = outcome.lambda.billedMs
    if (outcome.lambda.initMs !== undefined) line.initDurationMs = outcome.lambda.initMs
  }
  if (!reply.raw.writableFinished) line.aborted = true
  const trace = request.traceContext
  if (trace) {
    line.traceId = trace.traceId
    if (request.server.tracing?.enabled === true) line.spanId = trace.spanId
  }
  // The app logger, not request.log: the line carries requestId itself, without duplicates.
  ctx.logger[level](line, 'request')
}

/** pino's isLevelEnabled where the logger has it (any other logger: assume enabled). */
function levelEnabled (logger: FastifyBaseLogger, level: 'info' | 'error'): boolean {
  const check = (logger as Partial<Pick<Logger, 'isLevelEnabled'>>).isLevelEnabled
  return check === undefined ? true : check.call(logger, level)
}
