import type { FastifyInstance } from 'fastify'
import { EntityNotFoundError } from '../errors.js'
import type { StubState } from '../state.js'
import { validateIdempotencyKey, validateNewBilling } from '../validate-bodies.js'
import { parseId, queryValue } from './route-id.js'

export function billingRoutes (app: FastifyInstance, state: StubState): void {
  // Not in the original system: lets tests prove no billing was lost or stored twice.
  app.get('/api/Billings', async (request) => {
    const raw = queryValue(request.query, 'projectId')
    return state.store.billings(raw === undefined ? undefined : parseId('projectId', raw))
  })

  app.get<{ Params: { id: string } }>('/api/Billings/:id', async (request) => {
    const id = parseId('id', request.params.id)
    const billing = state.store.billing(id)
    if (billing === undefined) throw new EntityNotFoundError('Billing', String(id))
    return billing
  })

  // A replay answers exactly like the original (201, same body and Location) and says so in
  // `Idempotent-Replayed: true`, as Stripe does.
  app.post('/api/Billings', async (request, reply) => {
    const input = validateNewBilling(request.body)
    const key = validateIdempotencyKey(request.headers['idempotency-key'])
    const { billing, replayed } = state.store.createBilling(input, key)
    if (replayed) {
      state.counters.idempotentReplays++
      reply.header('idempotent-replayed', 'true')
    }
    return reply.code(201).header('location', `/api/Billings/${billing.Id}`).send(billing)
  })
}
