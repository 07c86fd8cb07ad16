// Human wording of what a schema node expects, for `expected <this>, found <value>` messages.
import type { TSchema } from '@sinclair/typebox'

type Node = TSchema & Record<string, unknown>

function range (s: Node): string {
  const min = s.minimum as number | undefined
  const max = s.maximum as number | undefined
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`
  if (min !== undefined) return ` >= ${min}`
  if (max !== undefined) return ` <= ${max}`
  return ''
}

/** `an integer from 0 to 65535`, `one of legacy|lambda`, `a non-empty list of ...` */
export function describeSchema (schema: TSchema): string {
  const s = schema as Node
  if (typeof s['x-expected'] === 'string') return s['x-expected']
  if (Array.isArray(s.anyOf) && s.anyOf.every((v: Node) => 'const' in v)) {
    return `one of ${s.anyOf.map((v: Node) => String(v.const)).join('|')}`
  }
  switch (s.type) {
    case 'integer': return `an integer${range(s)}`
    case 'number': return `a number${range(s)}`
    case 'boolean': return 'true or false'
    case 'string':
      if (typeof s.pattern === 'string') return `a string matching /${s.pattern}/`
      return s.minLength === 1 ? 'a non-empty string' : 'a string'
    case 'array': {
      const items = describeSchema(s.items as TSchema)
      const min = s.minItems === 1 ? 'a non-empty list' : 'a list'
      return `${min} of ${items}${s.uniqueItems === true ? ' without duplicates' : ''}`
    }
    case 'object': return 'an object'
    default: return 'a valid value'
  }
}
