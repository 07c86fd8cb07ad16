// TypeBox fragments of the gateway config owned by the ops area, imported by the config schema
// (gateway/src/config/). Defaults and units are part of the schema so docs and types agree.
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { RolloutStepsSchema } from '../guard/guard.schema.js'

/** `header:<name>` | `cookie:<name>` | `ip` | `jwt:sub` (see routing/rollout-key.ts). */
export const StickyBySchema = Type.String({
  pattern: "^(ip|jwt:sub|header:[A-Za-z0-9!#$%&'*+.^_`|~-]+|cookie:[A-Za-z0-9!#$%&'*+.^_`|~-]+)$",
  description: 'Request attribute that keeps a user on one side: header:<name>, cookie:<name>, ip or jwt:sub. Without it in a request, the side is random per request.'
})

/** Per route: `rollout: { percent, stickyBy, steps, stepIntervalMs }` (the step plan is the guard's). */
export const RolloutSchema = Type.Object({
  percent: Type.Number({ minimum: 0, maximum: 100, default: 100, description: 'Share of requests (%) sent to the Lambda while target is lambda; 100 = all.' }),
  stickyBy: Type.Optional(StickyBySchema),
  ...RolloutStepsSchema.properties
}, { additionalProperties: false, default: { percent: 100 } })

/** Top level: `testerOverride: { enabled, header }`; the secret is GATEWAY_OVERRIDE_SECRET (env only). */
export const TesterOverrideSchema = Type.Object({
  enabled: Type.Boolean({ default: false, description: 'Let testers force a target with a secret header.' }),
  header: Type.String({ pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$", default: 'x-gateway-force-target', description: 'Header carrying `<lambda|legacy>;<secret>`; always stripped before proxying.' })
}, { additionalProperties: false, default: { enabled: false, header: 'x-gateway-force-target' } })

/** Top level: `state: { dir }`; GATEWAY_STATE_DIR overrides the file value. */
export const StateSchema = Type.Object({
  dir: Type.String({ minLength: 1, default: './var', description: 'Directory of gateway-state.json and audit.jsonl (embedded default persistence).' })
}, { additionalProperties: false, default: { dir: './var' } })

export type RolloutConfig = Static<typeof RolloutSchema>
/** `rollout.percent` of a route without a rollout block (a route built without the loader). */
export const DEFAULT_ROLLOUT_PERCENT: number = RolloutSchema.properties.percent.default
export type TesterOverrideConfig = Static<typeof TesterOverrideSchema>
export type StateConfig = Static<typeof StateSchema>
