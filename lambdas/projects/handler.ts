// Projects-${Stage}: GET /api/projects, GET /api/projects/{id}, POST /api/projects.
// Adapter only: validation in the shared adapter, rules in create-project, shapes in map-project.
import { envInt } from '../shared/env.js'
import { FnError } from '../shared/errors.js'
import { initFunction } from '../shared/init-log.js'
import { createHttpHandler, defineRoute } from '../shared/http-adapter.js'
import { json } from '../shared/response.js'
import { NoParams, NoQuery, calendarDateErrors, centsErrors, idParams, idRangeErrors } from '../shared/schemas.js'
import { seed } from '../shared/seed.js'
import { createProject } from './create-project.js'
import { getProject } from './get-project.js'
import { listProjects } from './list-projects.js'
import { toProjectDto } from './map-project.js'
import { ProjectStore } from './project-store.js'
import { MAX_BODY_BYTES_DEFAULT, NewProjectBody } from './schema.js'

export const stage = initFunction('projects', process.env)
export const config = {
  maxBodyBytes: envInt(process.env, 'MAX_BODY_BYTES', { fallback: MAX_BODY_BYTES_DEFAULT, min: 256, max: 1_048_576 })
}

/** One per execution environment: writes live until the environment is reaped. */
const store = new ProjectStore(seed.Projects, seed.Users.map(u => u.Id))

export const handler = createHttpHandler({
  param: 'id',
  routes: [
    defineRoute({
      method: 'GET',
      withParam: false,
      pathParameters: NoParams,
      queryStringParameters: NoQuery,
      run: () => json(200, listProjects(store).map(toProjectDto))
    }),
    defineRoute({
      method: 'GET',
      withParam: true,
      pathParameters: idParams('id'),
      queryStringParameters: NoQuery,
      checks: req => idRangeErrors('/pathParameters/id', req.pathParameters.id),
      run: req => {
        const project = getProject(store, Number(req.pathParameters.id))
        if (project === undefined) throw new FnError('FN_ERR_NOT_FOUND', `project ${req.pathParameters.id} does not exist`)
        return json(200, toProjectDto(project))
      }
    }),
    defineRoute({
      method: 'POST',
      withParam: false,
      pathParameters: NoParams,
      queryStringParameters: NoQuery,
      body: { schema: NewProjectBody, maxBytes: config.maxBodyBytes },
      checks: req => [
        ...calendarDateErrors('/body/startDate', req.body.startDate),
        ...centsErrors('/body/budgetTotal', req.body.budgetTotal)
      ],
      run: req => {
        const result = createProject(store, req.body, new Date().toISOString().slice(0, 10))
        if (!result.ok && result.reason === 'unknown-users') {
          throw new FnError('FN_ERR_VALIDATION', 'the request is invalid', {
            errors: result.fields.map(f => ({ path: `/body/${f.field}`, message: f.message }))
          })
        }
        if (!result.ok) throw new FnError('FN_ERR_CONFLICT', `a project with code ${result.code} already exists`)
        const dto = toProjectDto(result.project)
        return json(201, dto, { location: `/api/projects/${dto.id}` })
      }
    })
  ]
})
