// POST /api/billings (camelCase) with the legacy CreateBillingRequest rules, no unknown fields,
// and the optional Idempotency-Key header with the legacy's rule (1..255 visible ASCII).
import { Type } from '@sinclair/typebox'
import { ISO_DATE_PATTERN } from '../shared/schemas.js'

const INT32_MAX = 2_147_483_647

/** Marks requests this function sends, so a routing loop back into it stops after one hop. */
export const FORWARDED_BY_HEADER = 'x-forwarded-by-function'

export const NewBillingBody = Type.Object({
  projectId: Type.Integer({ minimum: 1, maximum: INT32_MAX }),
  amount: Type.Number({ minimum: 0.01, maximum: 1_000_000 }),
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  description: Type.String({ minLength: 1, maxLength: 500 }),
  billedOn: Type.String({ maxLength: 10, pattern: ISO_DATE_PATTERN }),
  userId: Type.Optional(Type.Integer({ minimum: 1, maximum: INT32_MAX }))
}, { additionalProperties: false })

export const BillingHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ pattern: '^[\\x21-\\x7e]{1,255}$' }))
}, { additionalProperties: false })

/** 16 KiB: a billing is a few hundred bytes. */
export const MAX_BODY_BYTES_DEFAULT = 16_384
