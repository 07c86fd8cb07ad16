import type { FastifyInstance } from 'fastify'
import { EntityNotFoundError } from '../errors.js'
import type { StubState } from '../state.js'
import { validateNewProject } from '../validate-bodies.js'
import { parseId } from './route-id.js'

export function projectRoutes (app: FastifyInstance, state: StubState): void {
  app.get('/api/Projects', async () => state.store.projects())

  app.get<{ Params: { id: string } }>('/api/Projects/:id', async (request) => {
    const id = parseId('id', request.params.id)
    const project = state.store.project(id)
    if (project === undefined) throw new EntityNotFoundError('Project', String(id))
    return project
  })

  // 201 + a relative Location, as CreatedAtAction would (relative: we may sit behind a gateway).
  app.post('/api/Projects', async (request, reply) => {
    const input = validateNewProject(request.body, state.now().toISOString().slice(0, 10))
    const project = state.store.createProject(input)
    return reply.code(201).header('location', `/api/Projects/${project.Id}`).send(project)
  })
}
