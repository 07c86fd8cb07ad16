import type { FastifyInstance } from 'fastify'
import { EntityNotFoundError } from '../errors.js'
import type { StubState } from '../state.js'
import { parseId } from './route-id.js'

export function budgetRoutes (app: FastifyInstance, state: StubState): void {
  app.get<{ Params: { projectId: string } }>('/api/Budgets/:projectId', async (request) => {
    const projectId = parseId('projectId', request.params.projectId)
    const budget = state.store.budget(projectId)
    if (budget === undefined) throw new EntityNotFoundError('Budget of project', String(projectId))
    return budget
  })
}
