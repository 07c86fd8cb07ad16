// Building blocks shared by the config sections. Every object is closed
// (`additionalProperties: false`): a typo such as `timeoutMS` must be an error, not a silently
// ignored key that leaves a limit at its default.
import { Type } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import type { Static, TLiteral, TObject, TProperties, TSchema, TUnion, ObjectOptions } from '@sinclair/typebox'

/** The one list of HTTP methods a route (and a route's fallbackMethods) may name. */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const

/**
 * A closed object whose missing sections are filled from defaults: `default: {}` lets
 * TypeBox's Value.Default descend into an absent section and apply the defaults of its fields.
 */
export function Section<T extends TProperties> (properties: T, options: ObjectOptions = {}): TObject<T> {
  return Type.Object(properties, { additionalProperties: false, default: {}, ...options })
}

/** A closed object without a default (it must be written out, e.g. a route). */
export function Closed<T extends TProperties> (properties: T, options: ObjectOptions = {}): TObject<T> {
  return Type.Object(properties, { additionalProperties: false, ...options })
}

/** A string enum as a union of literals (TypeBox checks it; JSON Schema shows `anyOf` of `const`). */
export function OneOf<const V extends readonly string[]> (values: V, options: { default?: V[number], description?: string } = {}):
TUnion<Array<TLiteral<V[number]>>> {
  return Type.Union(values.map(v => Type.Literal(v)), options)
}

/** Milliseconds, a non-negative integer with an upper bound so a missing digit-separator typo is caught. */
export function Millis (defaultValue: number, description: string, maximum = 3_600_000) {
  return Type.Integer({ minimum: 0, maximum, default: defaultValue, description: `${description} (milliseconds)` })
}

/** A TCP port; 0 asks the OS for a free one (tests). */
export function Port (defaultValue: number, description: string) {
  return Type.Integer({ minimum: 0, maximum: 65535, default: defaultValue, description })
}

/**
 * Human wording for a pattern-checked string, used in error messages ("expected <x-expected>").
 * An `x-` keyword is ignored by JSON Schema validators and editors.
 */
export function Pattern (pattern: string, expected: string, options: { default?: string, description?: string, maxLength?: number } = {}) {
  return Type.String({ pattern, 'x-expected': expected, ...options })
}

/** A settings block with any field left out (tests, code that builds shields without a loaded config). */
export type PartialSettings<T> = { [K in keyof T]?: NonNullable<T[K]> extends Record<string, unknown> ? PartialSettings<NonNullable<T[K]>> : T[K] }

/**
 * `partial` completed with the schema's defaults: the same Value.Default the config loader
 * applies, so a loaded block passes through unchanged and no default is written twice.
 */
export function withSchemaDefaults<S extends TSchema> (schema: S, partial: PartialSettings<Static<S>> | undefined): Static<S> {
  return Value.Default(schema, structuredClone(partial ?? {})) as Static<S>
}
