// The Lambda target, wired: buffer the body (Lambda takes the whole event at once, 6 MB
// max), build the HTTP API 2.0 event, invoke through the SDK invoker, map the result back.
// Failures become problem+json; a function's own error message is logged, never returned.
// A client that hangs up does not abort the invocation: the function runs to its end anyway
// (on AWS as in the local runtime), so the call keeps its Lambda permit until the invoke
// returned (bounded by lambda.timeoutMs) and the answer is dropped. Not yet invoked = never.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { toHttpApiEvent } from './lambda-event.js'
import { warnIgnoredFieldsOnce } from './lambda-ignored-fields.js'
import { fromLambdaResult } from './lambda-response.js'
import type { LambdaReport } from './lambda-types.js'
import { forwardContextOf } from './forward-context.js'
import type { Permits, Target } from './target.port.js'
import { backwardResponseHeaders } from '../http/header-hygiene.js'
import { readBody } from '../http/raw-body.js'
import type { CodedError } from '../http/problem.js'
import { isClientGone } from '../http/client-gone.js'
import { LambdaUnavailableError } from '../errors.js'

export const LAMBDA_TARGET = 'lambda'

/** Synchronous invocation payload limit of AWS Lambda (6 MB); larger → 413 before invoking. */
export const LAMBDA_MAX_BODY_BYTES = 6 * 1024 * 1024

/** Methods whose invocation may be retried by the SDK: a retry after a client-side timeout
 * runs the function again, so only safe methods get more than one attempt. PUT and DELETE are
 * idempotent in theory, but legacy handlers are not proven to be, so they get one attempt. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS'])

function isGatewayError (err: unknown): err is CodedError & Error {
  const code = (err as { code?: unknown } | null)?.code
  return err instanceof Error && typeof code === 'string' && code.startsWith('GW_ERR_')
}

/** Cold start, init and billed duration from the REPORT line → the log line and metrics. */
function recordReport (request: FastifyRequest, fn: string, report: LambdaReport | undefined): void {
  if (!report) return
  const metrics = request.server.gateway.metrics
  request.outcome.lambda = { function: fn, coldStart: report.coldStart, billedMs: report.billedDurationMs }
  if (!report.coldStart) return
  metrics.lambdaColdStarts.inc({ function: fn })
  if (report.initDurationMs !== undefined) {
    request.outcome.lambda.initMs = report.initDurationMs
    metrics.lambdaInitDuration.observe({ function: fn }, report.initDurationMs / 1000)
  }
}

export async function forwardToLambda (request: FastifyRequest, reply: FastifyReply, permits: Permits): Promise<FastifyReply> {
  const ctx = request.server.gateway
  const { route, routing } = { route: request.routing.route, routing: request.routing }
  const lambda = route?.lambda
  if (!route || !lambda) throw new LambdaUnavailableError(routing.routeId, 'route has no lambda function')
  const fn = lambda.function
  request.outcome.lambda = { function: fn }

  let body: Buffer
  try {
    body = await readBody(request.body, Math.min(LAMBDA_MAX_BODY_BYTES, ctx.config.server.bodyLimitBytes))
  } catch (err) {
    if (isGatewayError(err) && err.code === 'GW_ERR_REQUEST_PAYLOAD_TOO_LARGE') request.outcome.rejection = 'payload_too_large'
    throw err
  }

  const fwd = forwardContextOf(request)
  const event = toHttpApiEvent({
    method: fwd.method,
    rawPath: fwd.path,
    rawQueryString: fwd.query,
    headers: fwd.headers,
    rawHeaders: fwd.rawHeaders,
    body,
    routeKey: fwd.routeKey,
    pathParameters: fwd.params,
    requestId: fwd.requestId,
    sourceIp: fwd.sourceIp,
    stage: ctx.config.stage,
    timeEpochMs: ctx.clock.now(),
    domainName: fwd.domainName
  })

  const upstream = `lambda:${fn}`
  if (isClientGone(request, reply)) return reply
  const endHold = permits.hold(request)
  ctx.metrics.upstreamInflight.inc({ upstream })
  ctx.lastHit?.hitFunction(fn)
  const started = performance.now()
  let failure: unknown
  try {
    const result = await ctx.invoker.invoke({
      functionName: fn,
      ...(lambda.qualifier ? { qualifier: lambda.qualifier } : {}),
      payload: Buffer.from(JSON.stringify(event)),
      timeoutMs: lambda.timeoutMs,
      idempotent: IDEMPOTENT.has(request.method),
      ...(lambda.context ? { context: lambda.context } : {})
    })
    request.outcome.upstreamMs = performance.now() - started
    recordReport(request, fn, result.report)
    const mapped = fromLambdaResult(result.payload, fn)
    warnIgnoredFieldsOnce(request.log, fn, mapped.ignored)
    reply.code(mapped.statusCode)
    for (const [name, value] of Object.entries(backwardResponseHeaders(mapped.headers))) {
      if (name !== 'content-length') reply.header(name, value)
    }
    return reply.send(mapped.body)
  } catch (err) {
    request.outcome.upstreamMs ??= performance.now() - started
    // A function error still ran the function: its REPORT counts (cold start, billed time).
    recordReport(request, fn, (err as { report?: LambdaReport }).report)
    failure = err
  } finally {
    ctx.metrics.upstreamInflight.dec({ upstream })
    endHold(failure)
  }
  // A throttled function on a `fallback: legacy` route: the protection layer moves the request
  // to legacy (through legacy's shield, marked x-gateway-fallback) and it is forwarded there.
  if (!reply.sent && !isClientGone(request, reply) && await permits.fallback(request, reply, failure)) {
    delete request.outcome.upstreamMs
    // The same bytes (the legacy proxy sends a whole body as a stream of its exact length).
    request.body = body.length > 0 ? body : undefined
    return ctx.targets.get(request.routing.target).forward(request, reply, permits)
  }
  throw failure
}

/** Routes with a `lambda` block: each function behind its own shield; none = legacy's (the forward then refuses). */
export const lambdaTarget: Target = {
  name: LAMBDA_TARGET,
  forward: forwardToLambda,
  shieldOf: (protection, route) => route?.lambda
    ? { shield: protection.lambda(route.lambda.function, route.lambda), functionName: route.lambda.function }
    : { shield: protection.legacy }
}
