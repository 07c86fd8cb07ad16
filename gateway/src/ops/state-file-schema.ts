// The on-disk shape of the state file (version 1). Times are ISO-8601 strings so an operator
// can read the file; in memory they are epoch milliseconds.
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'

const Iso = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T' })

export const StateFileSchema = Type.Object({
  version: Type.Literal(1),
  savedAt: Iso,
  firstStartedAt: Iso,
  routes: Type.Record(Type.String(), Type.Object({
    target: Type.Optional(Type.Union([Type.Literal('legacy'), Type.Literal('lambda')])),
    rolloutPercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    shadow: Type.Optional(Type.Object({ enabled: Type.Optional(Type.Boolean()) }, { additionalProperties: false }))
  }, { additionalProperties: false })),
  lastHit: Type.Object({
    routes: Type.Record(Type.String(), Iso),
    functions: Type.Record(Type.String(), Iso)
  }, { additionalProperties: false })
}, { additionalProperties: false })

export type StateFile = Static<typeof StateFileSchema>

export const stateFileCheck = TypeCompiler.Compile(StateFileSchema)
