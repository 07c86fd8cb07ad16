// Schema validation that reports every problem as `<path>: expected <x>, found <y>`.
import { ValueErrorType } from '@sinclair/typebox/errors'
import { Value } from '@sinclair/typebox/value'
import type { TSchema } from '@sinclair/typebox'
import { describeSchema } from './describe-schema.js'
import { formatPath, renderValue } from './config-problem.js'
import type { ConfigProblem } from './config-problem.js'

/** `/routes/2/target` → `routes[2].target` (JSON pointer with ~0/~1 escapes). */
function pointerToPath (pointer: string): string {
  if (pointer === '') return ''
  const parts = pointer.slice(1).split('/').map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'))
  return formatPath(parts.map(p => /^\d+$/.test(p) ? Number(p) : p))
}

/** Every schema problem of `value`, one per path (the first, most basic, wins: missing before wrong type). */
export function schemaProblems (schema: TSchema, value: unknown): ConfigProblem[] {
  const byPath = new Map<string, ConfigProblem>()
  for (const e of Value.Errors(schema, value)) {
    const path = pointerToPath(e.path)
    if (byPath.has(path)) continue
    let message: string
    if (e.type === ValueErrorType.ObjectAdditionalProperties) {
      const keyPattern = (e.schema as { patternProperties?: Record<string, unknown> }).patternProperties
      message = keyPattern === undefined ? 'unknown key' : `unknown key (keys must match /${Object.keys(keyPattern)[0] ?? ''}/)`
    } else {
      message = `expected ${describeSchema(e.schema)}, found ${renderValue(e.value)}`
    }
    byPath.set(path, { path, message })
  }
  return [...byPath.values()]
}
