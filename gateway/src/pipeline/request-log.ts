// onResponse: the one log line per request and the request metrics. Fastify's own
// per-request lines are disabled (app.ts) so every field an operator needs is on this line.
import type { FastifyReply, FastifyRequest } from 'fastify'

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
}

const round = (ms: number): number => Math.round(ms * 100) / 100

export async function requestLogHook (request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const ctx = request.server.gateway
  // Requests Fastify rejected before onRequest ran (e.g. a malformed URL) carry no decision.
  const routing = request.routing ?? { routeId: 'default', target: 'none', path: request.url }
  const outcome = request.outcome ?? { startedAt: performance.now() }
  const durationMs = performance.now() - outcome.startedAt
  const status = reply.statusCode

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
  // The app logger, not request.log: the line carries requestId itself, without duplicates.
  if (status >= 500) ctx.logger.error(line, 'request')
  else ctx.logger.info(line, 'request')

  const m = ctx.metrics
  m.requests.inc({ route: routing.routeId, target: routing.target, status: String(status) })
  m.requestDuration.observe({ route: routing.routeId, target: routing.target }, durationMs / 1000)
  if (outcome.rejection) m.rejections.inc({ route: routing.routeId, reason: outcome.rejection })
}
