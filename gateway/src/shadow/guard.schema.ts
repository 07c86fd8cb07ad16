// TypeBox fragments for the per-route `guard` section and the rollout step plan (merged by the lead
// into the route schema; `steps`/`stepIntervalMs` extend ops' RolloutSchema).
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'

export const GuardSchema = Type.Object({
  enabled: Type.Boolean({ default: false }),
  window: Type.Integer({ minimum: 10, maximum: 10000, default: 200, description: 'Last N outcomes per side kept for the comparison.' }),
  minSamples: Type.Integer({ minimum: 1, default: 50, description: 'Lambda samples needed before the guard judges.' }),
  maxErrorRateDelta: Type.Number({ minimum: 0, maximum: 1, default: 0.05, description: 'Lambda 5xx rate minus legacy 5xx rate.' }),
  maxP95Ratio: Type.Number({ minimum: 1, default: 2, description: 'Lambda p95 / legacy p95.' }),
  maxMismatchRate: Type.Number({ minimum: 0, maximum: 1, default: 0.1, description: 'Share of shadow comparisons that mismatch.' }),
  rollbackTo: Type.Union([Type.Literal('legacy'), Type.Literal('last-good')], { default: 'legacy' })
}, { additionalProperties: false, default: { enabled: false } })

export const RolloutStepsSchema = Type.Object({
  steps: Type.Optional(Type.Array(Type.Number({ minimum: 0, maximum: 100 }), { minItems: 1, description: 'Percentages the guard advances through while healthy, e.g. [5, 25, 50, 100].' })),
  stepIntervalMs: Type.Optional(Type.Integer({ minimum: 1000, default: 300000, description: 'Time at a step before advancing.' }))
})

export type GuardConfig = Static<typeof GuardSchema>
