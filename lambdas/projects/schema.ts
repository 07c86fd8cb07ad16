// The body of POST /api/projects: the legacy's CreateProjectRequest rules, camelCase, no
// unknown fields. Lengths and ranges as the legacy's DataAnnotations.
import { Type } from '@sinclair/typebox'
import { ISO_DATE_PATTERN } from '../shared/schemas.js'

const INT32_MAX = 2_147_483_647

export const NewProjectBody = Type.Object({
  name: Type.String({ minLength: 3, maxLength: 200 }),
  code: Type.String({ maxLength: 8, pattern: '^PRJ-[0-9]{4}$' }),
  ownerId: Type.Integer({ minimum: 1, maximum: INT32_MAX }),
  status: Type.Optional(Type.String({ pattern: '^(Planned|Active|OnHold|Closed)$' })),
  startDate: Type.Optional(Type.String({ maxLength: 10, pattern: ISO_DATE_PATTERN })),
  memberIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: INT32_MAX }), { maxItems: 50 })),
  budgetTotal: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000_000 })),
  currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' }))
}, { additionalProperties: false })

/** 16 KiB: a project is a few hundred bytes; anything near this is not a project. */
export const MAX_BODY_BYTES_DEFAULT = 16_384
