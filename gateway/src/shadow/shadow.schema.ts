// TypeBox fragment for the per-route `shadow` section (routes[].shadow in route.schema.ts).
// Defaults keep shadowing off and writes never shadowed.
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'

export const ShadowCompareSchema = Type.Object({
  ignore: Type.Array(Type.String({ pattern: '^\\$' }), { default: [], description: 'JSON paths ignored in the body: $, .key, ..key, [*], [n].' }),
  arraysAsSets: Type.Array(Type.String({ pattern: '^\\$' }), { default: [], description: 'JSON paths of arrays compared regardless of order.' }),
  caseInsensitiveKeys: Type.Boolean({ default: false, description: 'Match legacy PascalCase keys with Lambda camelCase keys.' }),
  renames: Type.Record(Type.String(), Type.String(), { default: {}, description: 'Legacy key (any depth) → Lambda key.' }),
  headers: Type.Array(Type.String(), { default: [], description: 'Response headers compared (status is always compared).' })
}, { additionalProperties: false, default: {} })

export const ShadowSchema = Type.Object({
  enabled: Type.Boolean({ default: false }),
  sampleRate: Type.Number({ minimum: 0, maximum: 1, default: 1, description: 'Share of eligible requests shadowed.' }),
  allowWrites: Type.Boolean({ default: false, description: 'Shadow non-GET/HEAD requests (sent with x-gateway-shadow: 1 and the idempotency key only).' }),
  maxBodyBytes: Type.Integer({ minimum: 0, default: 65536, description: 'Request bodies larger than this are not shadowed.' }),
  idempotencyKeyHeader: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9-]+$', default: 'idempotency-key', description: 'Request header a shadowed write must carry (forwarded to the shadow side).' }),
  maxConcurrent: Type.Integer({ minimum: 1, default: 8, description: 'Shadow calls in flight per route and gateway; more are shed.' }),
  compare: ShadowCompareSchema,
  noise: Type.Object({
    enabled: Type.Boolean({ default: false, description: 'Call legacy twice and ignore paths that differ between the two answers.' })
  }, { additionalProperties: false, default: { enabled: false } })
}, { additionalProperties: false, default: { enabled: false } })

export type ShadowConfig = Static<typeof ShadowSchema>
export type ShadowCompareConfig = Static<typeof ShadowCompareSchema>
