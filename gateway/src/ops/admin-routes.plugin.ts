// The admin API under /admin/ (contract: ARCHITECTURE.md "Ports and HTTP surface"), as a
// Fastify plugin the app registers on its admin instance. Every route needs the bearer token;
// the auth hook lives in an encapsulated child so /healthz, /readyz and /metrics stay open.
// Everything it acts on is injected (route state, audit, reload, breakers, stats, clock), so it
// runs standalone in tests on a bare Fastify instance.
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { AdminInternalError, AdminNotFoundError, AdminReloadRefusedError, AdminValidationError } from '../errors.js'
import { sendProblem, toProblem, PROBLEM_CONTENT_TYPE } from '../http/problem.js'
import type { CodedError } from '../http/problem.js'
import { adminAuthHook } from './admin-auth-hook.js'
import type { AdminToken } from './admin-auth.js'
import type { AuditLog } from './audit-log.js'
import { AdminFieldsError, typeboxValidatorCompiler } from './admin-routes-validation.js'
import type { FieldError } from './admin-routes-validation.js'
import { AuditQuery, ReloadBody, RouteIdParams, RoutePatchBody, UnusedQuery } from './admin-routes.schema.js'
import type { RoutePatchBodyType } from './admin-routes.schema.js'
import { routeView } from './admin-routes-view.js'
import type { BreakerControl, BreakerInfo, RouteStats, RouteStatsProvider } from './admin-routes-view.js'
import type { RouteStateService } from './route-state-service.js'
import { unusedReport } from './unused-report.js'
import { registerBreakerRoutes } from './admin-routes-breakers.js'

export type ReloadResult = { ok: true } | { ok: false, errors: string[] }

export interface AdminRoutesOptions {
  routeState: RouteStateService
  audit: AuditLog
  /** Parsed admin tokens (admin-auth.ts parseAdminTokens). None = every /admin call is refused. */
  tokens: AdminToken[]
  /** Re-reads and applies the config atomically (and calls routeState.setRoutes); errors keep the old one. */
  reload: () => Promise<ReloadResult>
  /**
   * Breaker registry. When given, this plugin serves the audited `GET /admin/breakers` and
   * `POST /admin/breakers/:id/open|close` (use breakerControlFrom(registry)); when absent those
   * routes are not registered here, so another plugin may serve them without a route clash.
   */
  breakers?: BreakerControl
  /** Per-route, per-side traffic figures for `gatewayctl status` (routeStatsFromMetrics); absent = `stats: null`. */
  stats?: RouteStatsProvider
  /** Clock for the unused report; default Date.now. */
  now?: () => number
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Name of the admin token that authenticated the request (`admin`, or a GATEWAY_ADMIN_TOKENS name). */
    adminWho: string
  }
}

function sendFields (request: FastifyRequest, reply: FastifyReply, err: CodedError, fields: FieldError[]): FastifyReply {
  const detail = fields.map(f => `${f.field}: ${f.message}`).join('; ')
  const body = { ...toProblem(err, request.id, detail), errors: fields }
  return reply.code(body.status).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(body))
}

async function adminRoutesImpl (app: FastifyInstance, opts: AdminRoutesOptions): Promise<void> {
  const now = opts.now ?? Date.now
  const { routeState, audit } = opts

  await app.register(async (admin) => {
    admin.setValidatorCompiler(typeboxValidatorCompiler)
    admin.decorateRequest('adminWho', '')

    admin.addHook('onRequest', adminAuthHook(opts.tokens, (request, who) => { request.adminWho = who }))

    admin.setNotFoundHandler(async (request, reply) =>
      sendProblem(request, reply, new AdminNotFoundError(`no admin endpoint ${request.method} ${request.url.split('?')[0]}`)))

    admin.setErrorHandler(async (err: Error & Partial<CodedError>, request, reply) => {
      if (err instanceof AdminFieldsError) return sendFields(request, reply, new AdminValidationError(err.message), err.fields)
      if (typeof err.code === 'string' && err.code.startsWith('GW_ERR_')) {
        if ((err.statusCode ?? 500) >= 500) request.log.error({ err }, 'admin request failed')
        return sendProblem(request, reply, err as CodedError)
      }
      const status = err.statusCode ?? 500
      if (status < 500) {
        // Fastify's own 4xx (bad JSON, empty body, wrong media type): keep the status, problem+json body.
        return sendProblem(request, reply, { code: 'GW_ERR_ADMIN_VALIDATION', statusCode: status, message: err.message })
      }
      request.log.error({ err }, 'admin request failed')
      return sendProblem(request, reply, new AdminInternalError('see the gateway log for this requestId'))
    })

    const breakerList = async (): Promise<BreakerInfo[]> => opts.breakers === undefined ? [] : await opts.breakers.list()
    const statsNow = async (): Promise<Record<string, RouteStats> | undefined> => opts.stats === undefined ? undefined : await opts.stats()
    const view = async (id: string): Promise<ReturnType<typeof routeView> | undefined> => {
      const def = routeState.definition(id)
      return def === undefined ? undefined : routeView(routeState, def, await breakerList(), await statsNow())
    }

    admin.get('/routes', async () => {
      const [breakers, stats] = await Promise.all([breakerList(), statsNow()])
      return { routes: routeState.definitions().map(def => routeView(routeState, def, breakers, stats)) }
    })

    admin.get<{ Params: { id: string } }>('/routes/:id', { schema: { params: RouteIdParams } }, async (request, reply) => {
      const route = await view(request.params.id)
      if (route === undefined) throw new AdminNotFoundError(`unknown route "${request.params.id}"`)
      reply.header('etag', route.version).header('cache-control', 'no-store')
      return { route }
    })

    admin.patch<{ Params: { id: string }, Body: RoutePatchBodyType }>('/routes/:id', {
      schema: { params: RouteIdParams, body: RoutePatchBody }
    }, async (request, reply) => {
      const { reason, ...patch } = request.body
      if (routeState.definition(request.params.id) === undefined) throw new AdminNotFoundError(`unknown route "${request.params.id}"`)
      if (patch.target === undefined && patch.rolloutPercent === undefined && patch.shadow?.enabled === undefined) {
        throw new AdminFieldsError('body', [{ field: '(body)', message: 'nothing to change: give target, rolloutPercent or shadow.enabled' }])
      }
      if (patch.target === 'lambda' && routeState.definition(request.params.id)?.lambdaFunction === undefined) {
        throw new AdminFieldsError('body', [{ field: 'target', message: 'this route has no lambda block in the config: add one before flipping it to lambda' }])
      }
      // The shadow dispatcher only mirrors routes with both sides: without a lambda block it would
      // skip the route silently while the API reported shadow on.
      if (patch.shadow?.enabled === true && routeState.definition(request.params.id)?.lambdaFunction === undefined) {
        throw new AdminFieldsError('body', [{ field: 'shadow.enabled', message: 'this route has no lambda block in the config: shadowing needs both sides, add one before turning shadow on' }])
      }
      const ifMatch = request.headers['if-match']
      const result = await routeState.patch(request.params.id, patch, { who: request.adminWho, reason: reason ?? null, ifMatch })
      request.log.info({ routeId: request.params.id, who: request.adminWho, before: result.entry.before, after: result.entry.after, reason: reason ?? null }, 'route state changed')
      const route = await view(request.params.id)
      if (route !== undefined) reply.header('etag', route.version)
      return { route, audit: result.entry }
    })

    admin.get<{ Querystring: { limit: number } }>('/audit', { schema: { querystring: AuditQuery } }, async (request) =>
      ({ entries: await audit.list({ limit: request.query.limit }) }))

    admin.post<{ Body: { reason?: string } | null }>('/reload', { schema: { body: ReloadBody } }, async (request, reply) => {
      const result = await opts.reload()
      const reason = request.body?.reason ?? null
      const entry = await audit.append({
        who: request.adminWho,
        action: result.ok ? 'config.reload' : 'config.reload.refused',
        routeId: null,
        before: null,
        after: result.ok ? { ok: true } : { errors: result.errors },
        reason
      })
      if (result.ok) return { ok: true, audit: entry }
      const fields = result.errors.map(message => ({ field: 'config', message }))
      return sendFields(request, reply, new AdminReloadRefusedError(`${result.errors.length} error(s)`), fields)
    })

    if (opts.breakers !== undefined) registerBreakerRoutes(admin, opts.breakers, audit)

    admin.get<{ Querystring: { days: number } }>('/unused', { schema: { querystring: UnusedQuery } }, async (request) =>
      unusedReport({
        days: request.query.days,
        now: now(),
        firstStartedAt: routeState.firstStartedAt,
        routes: routeState.definitions(),
        lastHit: routeState.lastHit.snapshot()
      }))
  }, { prefix: '/admin' })
}

export const adminRoutesPlugin = fp(adminRoutesImpl, { name: 'gateway-admin-routes', fastify: '5.x' })
export default adminRoutesPlugin

/** The plugin with its options bound, for option-less seams such as build()'s `adminPlugins`. */
export function adminRoutes (opts: AdminRoutesOptions): FastifyPluginAsync {
  return fp(async (app) => { await app.register(adminRoutesPlugin, opts) }, { name: 'gateway-admin-routes-bound', fastify: '5.x' })
}
