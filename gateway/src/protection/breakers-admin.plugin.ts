// Admin routes for breakers: `GET /admin/breakers`, `POST /admin/breakers/:id/open|close`.
// Register INSIDE the admin scope that already checks the bearer token; this plugin does no
// auth of its own. A forced open stays open until forced closed (no half-open probe).
import type { FastifyInstance } from 'fastify'
import type { BreakerRegistry } from './breaker-registry.js'

export interface BreakersAdminOptions {
  breakers: BreakerRegistry
  /** Called after a forced change (audit: who/when/why is the ops layer's job). */
  onForced?: (breaker: string, action: 'open' | 'close', request: unknown) => void
}

export async function breakersAdminRoutes (app: FastifyInstance, opts: BreakersAdminOptions): Promise<void> {
  const { breakers } = opts
  app.get('/admin/breakers', async () => ({ breakers: breakers.list() }))
  for (const action of ['open', 'close'] as const) {
    app.post<{ Params: { id: string } }>(`/admin/breakers/:id/${action}`, async (request, reply) => {
      const { id } = request.params
      if (!breakers.has(id)) {
        return reply.code(404).header('content-type', 'application/problem+json').send(JSON.stringify({
          type: 'about:blank', title: 'Not Found', status: 404, detail: `no breaker named ${id}`, requestId: request.id
        }))
      }
      const info = action === 'open' ? breakers.forceOpen(id) : breakers.forceClose(id)
      opts.onForced?.(id, action, request)
      return info
    })
  }
}
