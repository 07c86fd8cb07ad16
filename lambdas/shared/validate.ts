// Schema validation with TypeBox's compiled checkers; errors as `{ path, message }`, one per path
// (the first is the useful one: "Expected required property" rather than "Expected string" too).
import type { TSchema, Static } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import type { FieldError } from './errors.js'

export interface Validator<T extends TSchema> {
  check: (value: unknown) => value is Static<T>
  errors: (value: unknown) => FieldError[]
}

export function compile<T extends TSchema> (schema: T): Validator<T> {
  const compiled = TypeCompiler.Compile(schema)
  return {
    check: (value: unknown): value is Static<T> => compiled.Check(value),
    errors: (value: unknown): FieldError[] => {
      const seen = new Set<string>()
      const out: FieldError[] = []
      for (const e of compiled.Errors(value)) {
        const path = e.path === '' ? '/' : e.path
        if (seen.has(path)) continue
        seen.add(path)
        out.push({ path, message: e.message })
      }
      return out
    }
  }
}
