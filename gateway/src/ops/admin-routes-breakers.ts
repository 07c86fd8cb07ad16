// Breaker routes of the admin API: list, force open, force close, each forced change audited
// with who, before/after and the optional `reason` of the body (`{ reason }`, as for a reload). Registered by admin-routes.plugin.ts inside its authenticated scope.
import type { FastifyInstance } from 'fastify'
import { AdminNotFoundError } from '../errors.js'
import type { AuditLog } from './audit-log.js'
import { BreakerParams, ReasonBody } from './admin-routes.schema.js'
import type { BreakerControl, BreakerState } from './admin-routes-view.js'

export function registerBreakerRoutes (admin: FastifyInstance, breakers: BreakerControl, audit: AuditLog): void {
  admin.get('/breakers', async () => ({ breakers: await breakers.list() }))

  admin.post<{ Params: { id: string, action: 'open' | 'close' }, Body: { reason?: string } | null }>('/breakers/:id/:action', {
    schema: { params: BreakerParams, body: ReasonBody }
  }, async (request) => {
    const { id, action } = request.params
    const before = (await breakers.list()).find(b => b.id === id)
    if (before === undefined) throw new AdminNotFoundError(`unknown breaker "${id}"`)
    const known = action === 'open' ? await breakers.open(id) : await breakers.close(id)
    if (!known) throw new AdminNotFoundError(`unknown breaker "${id}"`)
    const after = (await breakers.list()).find(b => b.id === id) ?? null
    const entry = await audit.append({ who: request.adminWho, action: `breaker.${action}`, routeId: id, before, after, reason: request.body?.reason ?? null })
    return { breaker: after, audit: entry }
  })
}

/** The protection area's BreakerRegistry as the admin API sees it (structural: no import cycle). */
export interface NamedBreakerRegistry<B extends { name: string, state: BreakerState }> {
  list: () => B[]
  has: (name: string) => boolean
  forceOpen: (name: string) => unknown
  forceClose: (name: string) => unknown
}

/** Adapts protection/breaker-registry.ts (`name`, forceOpen/forceClose) to BreakerControl (`id`). */
export function breakerControlFrom<B extends { name: string, state: BreakerState }> (registry: NamedBreakerRegistry<B>): BreakerControl {
  const force = (id: string, fn: (name: string) => unknown): boolean => {
    if (!registry.has(id)) return false
    fn.call(registry, id)
    return true
  }
  return {
    list: () => registry.list().map(b => ({ ...b, id: b.name })),
    open: (id) => force(id, registry.forceOpen),
    close: (id) => force(id, registry.forceClose)
  }
}
