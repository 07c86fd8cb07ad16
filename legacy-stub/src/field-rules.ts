// Field checks with the messages ASP.NET model binding and DataAnnotations produce, so the
// stub's 400s read like the real system's. Each check records its message under the field name
// and returns the value (or undefined when it failed). Pure functions.
import type { FieldErrors } from './errors.js'

export class FieldCollector {
  readonly errors: FieldErrors = {}

  add (field: string, message: string): undefined {
    (this.errors[field] ??= []).push(message)
    return undefined
  }

  get ok (): boolean { return Object.keys(this.errors).length === 0 }
}

const notConvertible = (type: string): string => `The JSON value could not be converted to ${type}.`
const required = (field: string): string => `The ${field} field is required.`

/**
 * Property names are matched case-insensitively, as ASP.NET's JSON input does; unknown
 * properties are ignored. Returns the values under their canonical (PascalCase) names.
 */
export function canonicalFields (body: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const byLower = new Map(names.map(n => [n.toLowerCase(), n]))
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(body)) {
    const name = byLower.get(key.toLowerCase())
    if (name !== undefined) out[name] = value
  }
  return out
}

export function stringField (c: FieldCollector, field: string, value: unknown,
  rule: { required: boolean, min?: number, max: number, pattern?: RegExp }): string | undefined {
  if (value === undefined || value === null || value === '') return rule.required ? c.add(field, required(field)) : undefined
  if (typeof value !== 'string') return c.add(field, notConvertible('System.String'))
  const min = rule.min ?? 0
  if (value.length < min || value.length > rule.max) {
    return c.add(field, min > 0
      ? `The field ${field} must be a string with a minimum length of ${min} and a maximum length of ${rule.max}.`
      : `The field ${field} must be a string with a maximum length of ${rule.max}.`)
  }
  if (rule.pattern !== undefined && !rule.pattern.test(value)) {
    return c.add(field, `The field ${field} must match the regular expression '${rule.pattern.source}'.`)
  }
  return value
}

export function intField (c: FieldCollector, field: string, value: unknown,
  rule: { required: boolean, min: number, max: number }): number | undefined {
  if (value === undefined || value === null) return rule.required ? c.add(field, required(field)) : undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > 2_147_483_647) {
    return c.add(field, notConvertible('System.Int32'))
  }
  if (value < rule.min || value > rule.max) return c.add(field, `The field ${field} must be between ${rule.min} and ${rule.max}.`)
  return value
}

export function decimalField (c: FieldCollector, field: string, value: unknown,
  rule: { required: boolean, min: number, max: number, decimals: number }): number | undefined {
  if (value === undefined || value === null) return rule.required ? c.add(field, required(field)) : undefined
  if (typeof value !== 'number' || !Number.isFinite(value)) return c.add(field, notConvertible('System.Decimal'))
  if (value < rule.min || value > rule.max) return c.add(field, `The field ${field} must be between ${rule.min} and ${rule.max}.`)
  const scaled = value * 10 ** rule.decimals
  if (Math.abs(scaled - Math.round(scaled)) > 1e-6) {
    return c.add(field, `The field ${field} must have at most ${rule.decimals} decimal places.`)
  }
  return value
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** A calendar date `yyyy-MM-dd` (System.DateOnly). */
export function dateField (c: FieldCollector, field: string, value: unknown, rule: { required: boolean }): string | undefined {
  if (value === undefined || value === null || value === '') return rule.required ? c.add(field, required(field)) : undefined
  const match = typeof value === 'string' ? ISO_DATE.exec(value) : null
  if (match === null) return c.add(field, notConvertible('System.DateOnly'))
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(y, m - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || y < 1900) {
    return c.add(field, notConvertible('System.DateOnly'))
  }
  return value as string
}

export function intArrayField (c: FieldCollector, field: string, value: unknown,
  rule: { maxItems: number }): number[] | undefined {
  if (value === undefined || value === null) return undefined
  if (!Array.isArray(value) || !value.every(v => typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 2_147_483_647)) {
    return c.add(field, notConvertible('System.Int32[]'))
  }
  if (value.length > rule.maxItems) {
    return c.add(field, `The field ${field} must be a string or array type with a maximum length of '${rule.maxItems}'.`)
  }
  return value as number[]
}

export function enumField<T extends string> (c: FieldCollector, field: string, value: unknown,
  allowed: readonly T[]): T | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') return c.add(field, notConvertible('System.String'))
  // Enum names bind case-insensitively in ASP.NET; answer with the canonical spelling.
  const hit = allowed.find(a => a.toLowerCase() === value.toLowerCase())
  return hit ?? c.add(field, `The field ${field} must be one of: ${allowed.join(', ')}.`)
}
