// Users-${Stage}: GET /api/users (list) and GET /api/users/{id} (one). Adapter only: the
// shared adapter validates the event, the domain answers, map-user shapes the JSON.
import { FnError } from '../shared/errors.js'
import { initFunction } from '../shared/init-log.js'
import { createHttpHandler, defineRoute } from '../shared/http-adapter.js'
import { json } from '../shared/response.js'
import { NoParams, NoQuery, idParams, idRangeErrors } from '../shared/schemas.js'
import { seed } from '../shared/seed.js'
import { getUser } from './get-user.js'
import { listUsers } from './list-users.js'
import { toUserDto } from './map-user.js'

export const stage = initFunction('users', process.env)
const users = seed.Users

export const handler = createHttpHandler({
  param: 'id',
  routes: [
    defineRoute({
      method: 'GET',
      withParam: false,
      pathParameters: NoParams,
      queryStringParameters: NoQuery,
      run: () => json(200, listUsers(users).map(toUserDto))
    }),
    defineRoute({
      method: 'GET',
      withParam: true,
      pathParameters: idParams('id'),
      queryStringParameters: NoQuery,
      checks: req => idRangeErrors('/pathParameters/id', req.pathParameters.id),
      run: req => {
        const user = getUser(users, Number(req.pathParameters.id))
        if (user === undefined) throw new FnError('FN_ERR_NOT_FOUND', `user ${req.pathParameters.id} does not exist`)
        return json(200, toUserDto(user))
      }
    })
  ]
})
