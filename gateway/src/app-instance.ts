// The public Fastify instance before any stage is registered: server options, the `gateway`
// context and request decorators, the error handler and the body handling every target relies
// on. One catch-all route (pipeline/pipeline.ts, forward stage) takes every method and path:
// Fastify's router must not judge paths — the gateway's own normaliser and route table do, so
// odd paths get a consistent 400 problem+json instead of a router 404.
import Fastify, { LogController } from 'fastify'
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import type { GatewayConfig } from './config/schema.js'
import type { GatewayContext, RequestOutcome, RoutingDecision } from './pipeline/context.js'
import { rejectBadPath, unroutedDecision } from './pipeline/bad-path.js'
import { logRequest } from './pipeline/request-log.js'
import { discardUnreadBody, registerRawBody } from './http/raw-body.js'
import { gatewayClientErrorHandler, gatewayErrorHandler } from './http/error-handler.js'
import { requestIdFor } from './http/request-id.js'
import { lazyChildLogger } from './logging.js'

export function createPublicInstance (config: GatewayConfig, logger: FastifyBaseLogger, context: GatewayContext): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    // request.log is made on first use: a pino child per request is a hot-path cost (logging.ts).
    childLoggerFactory: lazyChildLogger,
    genReqId: requestIdFor,
    requestIdHeader: false,
    bodyLimit: config.server.bodyLimitBytes,
    // Idle keep-alive sockets are closed on shutdown; busy ones finish their request first.
    forceCloseConnections: 'idle',
    // Unparseable HTTP (bad framing, header bytes): problem+json, connection closed (error-handler.ts).
    clientErrorHandler: gatewayClientErrorHandler,
    exposeHeadRoutes: false,
    routerOptions: {
      caseSensitive: true,
      ignoreTrailingSlash: false,
      ignoreDuplicateSlashes: false,
      maxParamLength: 8192
    },
    // Fastify's router refuses some URLs itself (bad percent-encoding): same 400 as ours.
    // No hooks run for these requests, so the log line and metrics are written on finish.
    frameworkErrors: (err, request, reply) => {
      reply.header('x-request-id', request.id)
      request.outcome = { startedAt: performance.now() }
      request.routing = unroutedDecision(request.url, '')
      reply.raw.once('finish', () => { try { logRequest(request, reply) } catch { /* a log line must never crash the process */ } })
      rejectBadPath(request, reply, err.message)
    }
  })
  app.decorate('gateway', context)
  // Reference-type decorators start as null and are set per request in the routing hook.
  app.decorateRequest('routing', null as unknown as RoutingDecision)
  app.decorateRequest('outcome', null as unknown as RequestOutcome)
  app.setErrorHandler(gatewayErrorHandler)
  registerRawBody(app)
  // A body on a method Fastify does not parse (GET, HEAD) must still end validly before the
  // request goes anywhere, and before a permit is taken (the protection preHandler).
  app.addHook('preValidation', (request, _reply, done) => {
    const unread = discardUnreadBody(request)
    if (unread === undefined) done()
    else unread.then(() => { done() }, done)
  })
  return app
}
