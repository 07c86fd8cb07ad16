import type { FastifyInstance } from 'fastify'
import { EntityNotFoundError } from '../errors.js'
import type { StubState } from '../state.js'
import { parseId } from './route-id.js'

export function userRoutes (app: FastifyInstance, state: StubState): void {
  app.get('/api/Users', async () => state.store.users())

  app.get<{ Params: { id: string } }>('/api/Users/:id', async (request) => {
    const id = parseId('id', request.params.id)
    const user = state.store.user(id)
    if (user === undefined) throw new EntityNotFoundError('User', String(id))
    return user
  })
}
