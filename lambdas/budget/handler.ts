// Budget-${Stage}: GET /api/budgets/{projectId}. Adapter only; remaining is computed by the domain.
import { FnError } from '../shared/errors.js'
import { initFunction } from '../shared/init-log.js'
import { createHttpHandler, defineRoute } from '../shared/http-adapter.js'
import { json } from '../shared/response.js'
import { NoQuery, idParams, idRangeErrors } from '../shared/schemas.js'
import { seed } from '../shared/seed.js'
import { getBudget } from './get-budget.js'
import { toBudgetDto } from './map-budget.js'

export const stage = initFunction('budget', process.env)
const budgets = seed.Budgets

export const handler = createHttpHandler({
  param: 'projectId',
  routes: [
    defineRoute({
      method: 'GET',
      withParam: true,
      pathParameters: idParams('projectId'),
      queryStringParameters: NoQuery,
      checks: req => idRangeErrors('/pathParameters/projectId', req.pathParameters.projectId),
      run: req => {
        const view = getBudget(budgets, Number(req.pathParameters.projectId))
        if (view === undefined) throw new FnError('FN_ERR_NOT_FOUND', `no budget for project ${req.pathParameters.projectId}`)
        return json(200, toBudgetDto(view))
      }
    })
  ]
})
