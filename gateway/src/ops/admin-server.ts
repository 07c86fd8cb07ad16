// The admin listener (127.0.0.1:9090 by default): /healthz, /readyz and /metrics without a
// token, and the `/admin/*` scope where the ops API is plugged in behind a bearer token.
// It is a separate Fastify instance on a separate port, so nothing here is reachable through
// the public listener. Without a token the /admin scope refuses every call (401): the shell
// refuses to start at all when the admin host is not loopback and no token is set.
import { createHash, timingSafeEqual } from 'node:crypto'
import Fastify from 'fastify'
import type { FastifyBaseLogger, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { LogController } from 'fastify'
import { AdminUnauthorizedError } from '../errors.js'
import { gatewayErrorHandler } from '../http/error-handler.js'
import { requestIdFor } from '../http/request-id.js'
import { sendProblem } from '../http/problem.js'
import type { GatewayContext } from '../pipeline/context.js'

export interface AdminServerOptions {
  context: GatewayContext
  logger: FastifyBaseLogger
  /** Bearer token for `/admin/*` (GATEWAY_ADMIN_TOKEN). Empty/undefined → /admin refuses all calls. */
  token?: string
  /** Ops API plugins, registered inside the `/admin` prefix behind the bearer check. */
  plugins?: FastifyPluginAsync[]
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest()

/** Constant-time bearer check: both sides hashed to a fixed length before timingSafeEqual. */
export function bearerMatches (header: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim() ?? ''
  return timingSafeEqual(digest(presented), digest(token)) && presented.length > 0
}

export function adminAuthHook (token: string | undefined) {
  return async function adminAuth (request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!token) {
      sendProblem(request, reply, new AdminUnauthorizedError('disabled: GATEWAY_ADMIN_TOKEN is not set'))
      return reply
    }
    if (!bearerMatches(request.headers.authorization, token)) {
      reply.header('www-authenticate', 'Bearer realm="gateway-admin"')
      sendProblem(request, reply, new AdminUnauthorizedError('missing or wrong bearer token'))
      return reply
    }
  }
}

export async function buildAdminServer (opts: AdminServerOptions): Promise<FastifyInstance> {
  const ctx = opts.context
  const admin = Fastify({
    loggerInstance: opts.logger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: requestIdFor,
    requestIdHeader: false,
    forceCloseConnections: true
  })
  admin.decorate('gateway', ctx)
  admin.setErrorHandler(gatewayErrorHandler)
  admin.addHook('onRequest', async (request, reply) => { reply.header('x-request-id', request.id) })

  admin.get('/healthz', async () => ({ status: 'ok' }))
  admin.get('/readyz', async (_request, reply) => {
    const result = await ctx.readiness.evaluate()
    return reply.code(result.ready ? 200 : 503).send(result)
  })
  admin.get('/metrics', async (_request, reply) => {
    const text = await ctx.metrics.registry.metrics()
    return reply.header('content-type', ctx.metrics.registry.contentType).send(text)
  })

  await admin.register(async (scope) => {
    scope.addHook('onRequest', adminAuthHook(opts.token))
    for (const plugin of opts.plugins ?? []) await scope.register(plugin)
  }, { prefix: '/admin' })
  return admin
}
