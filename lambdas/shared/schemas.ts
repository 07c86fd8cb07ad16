// Schema pieces every function uses, and the checks JSON Schema cannot express (int32 range,
// real calendar dates, at most two decimals). Checks return FieldErrors, never throw.
import { Type } from '@sinclair/typebox'
import type { FieldError } from './errors.js'

const INT32_MAX = 2_147_483_647

/** A positive int32 id as it arrives in a path: digits only, no sign, no leading zero. */
export const IdString = Type.String({ pattern: '^[1-9][0-9]{0,9}$' })

/** No query parameters are understood: any one is an error, not silently ignored. */
export const NoQuery = Type.Object({}, { additionalProperties: false })

export const NoParams = Type.Object({}, { additionalProperties: false })

export function idParams<K extends string> (name: K): ReturnType<typeof Type.Object<{ [P in K]: typeof IdString }>> {
  return Type.Object({ [name]: IdString } as { [P in K]: typeof IdString }, { additionalProperties: false })
}

export function idRangeErrors (path: string, value: string): FieldError[] {
  return Number(value) > INT32_MAX ? [{ path, message: `Expected id less or equal to ${INT32_MAX}` }] : []
}

export const ISO_DATE_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'

/** `yyyy-MM-dd` that names a real day from 1900 on (the pattern is checked by the schema). */
export function calendarDateErrors (path: string, value: string | undefined): FieldError[] {
  if (value === undefined || !new RegExp(ISO_DATE_PATTERN).test(value)) return []
  const [y, m, d] = value.split('-').map(Number) as [number, number, number]
  const date = new Date(Date.UTC(y, m - 1, d))
  const real = date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && y >= 1900
  return real ? [] : [{ path, message: 'Expected a calendar date from 1900-01-01 on' }]
}

/** Money has cents at most; 0.1 + 0.2 style binary noise is tolerated. */
export function centsErrors (path: string, value: number | undefined): FieldError[] {
  if (value === undefined) return []
  const scaled = value * 100
  return Math.abs(scaled - Math.round(scaled)) > 1e-6 ? [{ path, message: 'Expected at most 2 decimal places' }] : []
}
