// The one schema of config/gateway.yaml: validation, defaults (the only place one is written),
// the TypeScript types, and the exported config/gateway.schema.json and
// config/gateway.overlay.schema.json (scripts/export-config-schema.mjs). Each section lives in
// schema/<section>.schema.ts so later issues add a section without rewriting this file.
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { AdminSchema } from './schema/admin.schema.js'
import { LambdaContextSchema, LambdaSchema } from './schema/lambda.schema.js'
import { LegacySchema } from './schema/legacy.schema.js'
import { HTTP_METHODS, RouteLambdaSchema, RouteSchema, TARGETS } from './schema/route.schema.js'
import { ServerSchema } from './schema/server.schema.js'
import { Pattern } from './schema/common.schema.js'
import { StateSchema, TesterOverrideSchema } from '../ops/ops.schema.js'
import { DistributedSchema } from '../distributed/distributed.schema.js'
import { AsyncSectionSchema } from '../async/async.schema.js'

export { HTTP_METHODS, TARGETS }

export const GatewayConfigSchema = Type.Object({
  stage: Pattern('^[a-z0-9][a-z0-9-]*$', 'a lower-case stage name like dev or prod', {
    default: 'dev',
    description: 'Stage name (env STAGE); selects config/stages/<stage>.yaml'
  }),
  server: ServerSchema,
  admin: AdminSchema,
  legacy: LegacySchema,
  lambda: LambdaSchema,
  routes: Type.Array(RouteSchema, { default: [], description: 'Routed endpoints; anything unmatched goes to legacy' }),
  testerOverride: TesterOverrideSchema,
  state: StateSchema,
  distributed: DistributedSchema,
  // Durable job queue and delivery worker of async routes (docs/async.md).
  async: AsyncSectionSchema
}, {
  additionalProperties: false,
  title: 'Strangler gateway config',
  description: 'config/gateway.yaml, merged with config/stages/<stage>.yaml'
})

export type GatewayConfig = Static<typeof GatewayConfigSchema>
export type ServerConfig = GatewayConfig['server']
export type AdminConfig = GatewayConfig['admin']
export type LegacyConfig = GatewayConfig['legacy']
export type LambdaConfig = GatewayConfig['lambda']
export type LambdaContextConfig = Static<typeof LambdaContextSchema>
export type RouteConfig = Static<typeof RouteSchema>
export type RouteLambdaConfig = Static<typeof RouteLambdaSchema>
export type HttpMethod = typeof HTTP_METHODS[number]
export type TargetName = typeof TARGETS[number]
