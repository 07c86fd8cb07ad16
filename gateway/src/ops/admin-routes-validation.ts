// Validation for the admin API with TypeBox's compiler instead of Fastify's default ajv setup,
// because that one strips unknown properties silently (removeAdditional) where an operator's
// typo must be a 400 naming the field. Query strings and params are converted (strings to
// numbers) and defaulted first; bodies are checked as sent.
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { Value } from '@sinclair/typebox/value'
import type { TSchema } from '@sinclair/typebox'
import type { FastifySchemaCompiler } from 'fastify'

export interface FieldError {
  /** Dotted field name (`shadow.enabled`), or `(body)` for the whole body. */
  field: string
  message: string
}

/** The error handed to Fastify on a validation failure; the plugin's error handler renders it. */
export class AdminFieldsError extends Error {
  readonly statusCode = 400
  constructor (readonly part: string, readonly fields: FieldError[]) {
    super(`${part}: ` + fields.map(f => `${f.field}: ${f.message}`).join('; '))
  }
}

function fieldName (path: string): string {
  return path === '' ? '(body)' : path.slice(1).split('/').join('.')
}

/** TypeBox says "Expected union value"; an operator wants the allowed values. */
function describe (schema: TSchema, message: string): string {
  if (message === 'Unexpected property') return 'unknown field'
  const flat = (s: TSchema): TSchema[] => Array.isArray(s.anyOf) ? (s.anyOf as TSchema[]).flatMap(flat) : [s]
  if (!Array.isArray(schema.anyOf)) return message
  const options = flat(schema).map(s => {
    if ('const' in s) return JSON.stringify(s.const)
    if (s.type === 'number' && s.minimum !== undefined) return `a number from ${String(s.minimum)} to ${String(s.maximum)}`
    return String(s.type)
  })
  return `must be ${options.join(' or ')}`
}

export const typeboxValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = TypeCompiler.Compile(schema)
  const convert = httpPart === 'querystring' || httpPart === 'params'
  return (data: unknown) => {
    const value: unknown = convert ? Value.Default(schema, Value.Convert(schema, data ?? {})) : data
    if (check.Check(value)) return { value }
    const seen = new Set<string>()
    const fields: FieldError[] = []
    for (const e of check.Errors(value)) {
      const field = fieldName(e.path)
      if (seen.has(field)) continue
      seen.add(field)
      fields.push({ field, message: describe(e.schema, e.message) })
    }
    return { error: new AdminFieldsError(httpPart ?? 'request', fields) }
  }
}
