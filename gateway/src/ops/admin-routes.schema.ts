// Request schemas of the admin API (TypeBox). additionalProperties: false everywhere, so an
// unknown field is a 400 naming it instead of being ignored.
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'

const Target = Type.Union([Type.Literal('legacy'), Type.Literal('lambda')])

export const RouteIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) })

export const RoutePatchBody = Type.Object({
  target: Type.Optional(Type.Union([Target, Type.Null()])),
  rolloutPercent: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 100 }), Type.Null()])),
  shadow: Type.Optional(Type.Object({
    enabled: Type.Optional(Type.Union([Type.Boolean(), Type.Null()]))
  }, { additionalProperties: false })),
  reason: Type.Optional(Type.String({ maxLength: 500 }))
}, { additionalProperties: false })
export type RoutePatchBodyType = Static<typeof RoutePatchBody>

export const AuditQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 })
}, { additionalProperties: false })

export const UnusedQuery = Type.Object({
  days: Type.Number({ minimum: 0, maximum: 3650 })
}, { additionalProperties: false })

export const BreakerParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 200 }),
  action: Type.Union([Type.Literal('open'), Type.Literal('close')])
})

/** An optional `{ reason }` body: POST /admin/reload and the breaker force calls. */
export const ReasonBody = Type.Union([
  Type.Null(),
  Type.Undefined(),
  Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false })
])

export const ReloadBody = ReasonBody
