// Route and query ids bind like ASP.NET's `int id`: anything but an Int32 is a 400 naming the
// parameter, never a 404 or a 500.
import { validationError } from '../errors.js'

const INT = /^-?\d{1,10}$/

export function parseId (name: string, raw: string | undefined): number {
  const value = raw !== undefined && INT.test(raw) ? Number(raw) : Number.NaN
  if (!Number.isInteger(value) || Math.abs(value) > 2_147_483_647) {
    throw validationError({ [name]: [`The value '${raw ?? ''}' is not valid.`] })
  }
  return value
}

/** A query parameter by name, case-insensitively (ASP.NET binds `?ProjectID=` to `projectId`). */
export function queryValue (query: unknown, name: string): string | undefined {
  const lower = name.toLowerCase()
  for (const [key, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    if (key.toLowerCase() === lower) return Array.isArray(value) ? String(value[0]) : String(value)
  }
  return undefined
}
