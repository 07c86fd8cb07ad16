// `GET /admin/routes/:id/guard` (bearer token, like every /admin call): the guard's live state of
// a route — window samples per side, the last verdict with its figures, rollbacks made here,
// and the step plan's next step time. `{ enabled: false }` for a configured route without a
// guard; 404 for an unknown route. Per replica: each judges its own traffic.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import { AdminNotFoundError } from '../errors.js'
import { sendProblem } from '../http/problem.js'
import { adminAuthHook } from '../ops/admin-auth-hook.js'
import type { AdminToken } from '../ops/admin-auth.js'
import type { GuardController } from './guard-controller.js'

export interface GuardAdminOptions {
  guard: Pick<GuardController, 'view'>
  tokens: AdminToken[]
  /** Whether a route id is configured (the route state service's definition lookup). */
  knows: (routeId: string) => boolean
}

export function guardAdminRoutes (o: GuardAdminOptions): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    app.addHook('onRequest', adminAuthHook(o.tokens))
    app.get<{ Params: { id: string } }>('/admin/routes/:id/guard', async (request, reply) => {
      const id = request.params.id
      if (!o.knows(id)) return sendProblem(request, reply, new AdminNotFoundError(`unknown route "${id}"`))
      return { routeId: id, guard: o.guard.view(id) ?? { enabled: false } }
    })
  }
}
