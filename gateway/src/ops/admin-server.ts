// The admin listener (127.0.0.1:9090 by default): /healthz, /readyz and /metrics without a
// token, the migration cockpit at /ui (its own login), and the ops API plugins (admin-routes.plugin.ts, breakers) registered at its root,
// each guarding its own /admin/* routes. A catch-all under /admin/ answers 401 to anyone without
// a valid bearer token and 404 otherwise, so probing the admin namespace never bypasses auth.
// It is a separate Fastify instance on a separate port: nothing here is reachable through the
// public listener.
import Fastify, { LogController } from 'fastify'
import type { FastifyBaseLogger, FastifyInstance, FastifyPluginAsync } from 'fastify'
import { AdminNotFoundError, AdminUnauthorizedError } from '../errors.js'
import { gatewayErrorHandler } from '../http/error-handler.js'
import { requestIdFor } from '../http/request-id.js'
import { sendProblem } from '../http/problem.js'
import type { GatewayContext } from '../pipeline/context.js'
import { authenticate } from './admin-auth.js'
import type { AdminToken } from './admin-auth.js'
import { SessionStore } from '../cockpit/sessions.js'
import { cockpitUi } from '../cockpit/cockpit-ui.plugin.js'

export interface AdminServerOptions {
  context: GatewayContext
  logger: FastifyBaseLogger
  /** Parsed admin tokens (admin-auth.ts parseAdminTokens). None → every /admin call is refused. */
  tokens?: AdminToken[]
  /** Ops API plugins (fastify-plugin wrapped, guarding their own /admin/* routes). */
  plugins?: FastifyPluginAsync[]
  /** Serve the migration cockpit at /ui (cockpit/cockpit-ui.plugin.ts); default true. */
  cockpit?: boolean
}

export async function buildAdminServer (opts: AdminServerOptions): Promise<FastifyInstance> {
  const ctx = opts.context
  const tokens = opts.tokens ?? []
  const admin = Fastify({
    loggerInstance: opts.logger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: requestIdFor,
    requestIdHeader: false,
    forceCloseConnections: true
  })
  admin.decorate('gateway', ctx)
  // Sessions of the cockpit page: admin-auth-hook.ts accepts them next to bearer tokens.
  const sessions = new SessionStore()
  admin.decorate('cockpitSessions', sessions)
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

  if (opts.cockpit !== false) await admin.register(cockpitUi, { tokens, sessions })
  for (const plugin of opts.plugins ?? []) await admin.register(plugin)
  admin.all('/admin/*', async (request, reply) => {
    const auth = authenticate(request.headers.authorization, tokens)
    if (!auth.ok) {
      reply.header('www-authenticate', 'Bearer realm="gateway-admin"')
      return sendProblem(request, reply, new AdminUnauthorizedError(auth.reason))
    }
    return sendProblem(request, reply, new AdminNotFoundError(`no admin route ${request.method} ${request.url}`))
  })
  return admin
}
