// Env values arrive as strings (`port: ${PORT:-8080}` is the string "8080"). Where the schema
// wants a number or boolean, convert strings that spell one exactly; anything else is left for
// validation to report. Nothing is converted the other way (a number where a string is wanted
// stays an error).
import type { TSchema } from '@sinclair/typebox'

type Node = TSchema & Record<string, unknown>
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/

export function coerceToSchema (schema: TSchema, value: unknown): unknown {
  const s = schema as Node
  if (typeof value === 'string') {
    // A union (`maxConcurrency: 8 | auto`): a string that spells a number is one if a branch wants it.
    if (Array.isArray(s.anyOf)) {
      for (const branch of s.anyOf as TSchema[]) {
        const coerced = coerceToSchema(branch, value)
        if (coerced !== value) return coerced
      }
      return value
    }
    if ((s.type === 'integer' || s.type === 'number') && NUMBER.test(value.trim())) return Number(value.trim())
    if (s.type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true'
    return value
  }
  if (Array.isArray(value) && s.type === 'array' && s.items !== undefined) {
    return value.map(item => coerceToSchema(s.items as TSchema, item))
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && s.type === 'object') {
    const props = (s.properties ?? {}) as Record<string, TSchema>
    const pattern = s.patternProperties as Record<string, TSchema> | undefined
    const recordItem = pattern === undefined ? undefined : Object.values(pattern)[0]
    const out: Record<string, unknown> = {}
    for (const [key, v] of Object.entries(value)) {
      const child = props[key] ?? recordItem
      out[key] = child === undefined ? v : coerceToSchema(child, v)
    }
    return out
  }
  return value
}
