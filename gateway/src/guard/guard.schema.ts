// TypeBox fragments for the per-route `guard` section (route schema) and the rollout step plan
// (`steps`/`stepIntervalMs`, spread into ops' RolloutSchema). Semantic rules the schema cannot
// express (steps ascending, a guard needs a lambda section, minSamples ≤ window) are in
// guard-config-checks.ts.
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'

export const GuardSchema = Type.Object({
  enabled: Type.Boolean({ default: false, description: 'Judge the Lambda side against legacy and roll a failing rollout back.' }),
  window: Type.Integer({ minimum: 10, maximum: 10000, default: 200, description: 'Last N outcomes per side (and N shadow comparisons) kept for the comparison.' }),
  minSamples: Type.Integer({ minimum: 1, maximum: 10000, default: 50, description: 'Lambda samples (or shadow comparisons) needed before the guard judges; at most window.' }),
  maxErrorRateDelta: Type.Number({ minimum: 0, maximum: 1, default: 0.05, description: 'Lambda 5xx rate minus legacy 5xx rate (0–1) above which the guard trips.' }),
  maxP95Ratio: Type.Number({ minimum: 1, default: 2, description: 'Lambda p95 latency / legacy p95 above which the guard trips.' }),
  maxMismatchRate: Type.Number({ minimum: 0, maximum: 1, default: 0.1, description: 'Share of shadow comparisons that mismatch (0–1) above which the guard trips.' }),
  rollbackTo: Type.Union([Type.Literal('legacy'), Type.Literal('last-good')], { default: 'legacy', description: 'legacy: target back to legacy; last-good: the highest percentage judged healthy (else legacy).' })
}, { additionalProperties: false, default: { enabled: false } })

export const RolloutStepsSchema = Type.Object({
  steps: Type.Optional(Type.Array(Type.Number({ minimum: 1, maximum: 100 }), {
    minItems: 1,
    maxItems: 20,
    description: 'Percentages the guard advances through while healthy, strictly ascending, e.g. [5, 25, 50, 100]; needs guard.enabled.'
  })),
  // 1 s minimum: a step needs at least minSamples outcomes to be judged, so shorter intervals
  // only make sense in tests; typical values are minutes.
  // No schema default (the guard applies 300000): a rollout without a plan stays `{ percent }`.
  stepIntervalMs: Type.Optional(Type.Integer({ minimum: 1000, maximum: 86_400_000, description: 'Healthy time at a step before the guard advances to the next (milliseconds); default 300000.' }))
})

export type GuardConfig = Static<typeof GuardSchema>
