// `routes[]`: one entry per migrated (or about-to-be migrated) endpoint. Anything no route
// matches goes to legacy. Path syntax and overlap rules: gateway/src/routing/path-pattern.ts.
import { Type } from '@sinclair/typebox'
import { RolloutSchema } from '../../ops/ops.schema.js'
import { lambdaProtectionProperties, routeProtectionProperties } from '../../protection/protection.schema.js'
import { Closed, HTTP_METHODS, OneOf, Pattern } from './common.schema.js'
import { GuardSchema } from '../../guard/guard.schema.js'
import { ShadowSchema } from '../../shadow/shadow.schema.js'
import { routeAsyncProperties } from '../../async/async.schema.js'

export { HTTP_METHODS }
export const TARGETS = ['legacy', 'lambda'] as const
export const ROUTE_ID = '^[a-z0-9][a-z0-9._-]*$'
// A function name, optionally as a full ARN (cross-account); the version/alias goes in `qualifier`.
export const FUNCTION_NAME = '^(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:)?[A-Za-z0-9_-]{1,64}$'

export const RouteLambdaSchema = Closed({
  function: Pattern(FUNCTION_NAME, 'a Lambda function name (letters, digits, - and _, at most 64) or its ARN', {
    description: 'Function to invoke'
  }),
  timeoutMs: Type.Integer({ minimum: 1, maximum: 900_000, default: 3000, description: 'Gateway-side invoke timeout; exceeded → 504 (milliseconds)' }),
  qualifier: Pattern('^([A-Za-z0-9$_-]{1,128})?$', 'an alias or version (letters, digits, $ - _) or empty', {
    default: '',
    description: 'Alias or version to invoke; empty → unqualified ($LATEST)'
  }),
  context: Type.Optional(Type.String({ minLength: 1, 'x-expected': 'a key of lambda.contexts', description: 'Bounded context (key of lambda.contexts) whose region/role to use' })),
  // Gateway-side cap (= the function's reserved concurrency), its queue and breaker.
  ...lambdaProtectionProperties
}, { description: 'Lambda of this route; required when target is lambda, allowed on legacy routes so they can be flipped' })

export const RouteSchema = Closed({
  id: Pattern(ROUTE_ID, 'a route id of lower-case letters, digits, . _ - (like users.get)', {
    maxLength: 64,
    description: 'Unique id: used in logs, metrics, x-gateway-route and the admin API'
  }),
  methods: Type.Array(OneOf(HTTP_METHODS), {
    minItems: 1,
    uniqueItems: true,
    'x-expected': `a non-empty list of upper-case HTTP methods (${HTTP_METHODS.join('|')}) without duplicates`,
    description: 'Upper-case HTTP methods; a GET route also serves HEAD'
  }),
  path: Type.String({
    minLength: 1,
    maxLength: 1024,
    pattern: '^/',
    'x-expected': 'a path pattern starting with / (static segments, :param segments, a trailing *)',
    description: 'Path pattern, e.g. /api/users/:id'
  }),
  target: OneOf(TARGETS, { description: 'Who answers: legacy | lambda (the flag ops flip)' }),
  lambda: Type.Optional(RouteLambdaSchema),
  // Share of requests to the Lambda while target is lambda, and the sticky key (ops area).
  rollout: Type.Optional(RolloutSchema),
  // Shadow traffic: the other side called in the background and compared (shadow/shadow-dispatch.plugin.ts).
  // `shadow.enabled` is the configured default; PATCH /admin/routes/:id `shadow` overrides it at runtime.
  shadow: Type.Optional(ShadowSchema),
  // Automatic rollback of a failing rollout and the step plan's judge (guard/guard-controller.ts).
  guard: Type.Optional(GuardSchema),
  // priority, per-route rate limit and breaker, fallback (protection area).
  ...routeProtectionProperties,
  // Accept writes durably with 202 and deliver them to legacy later (async area, docs/async.md).
  ...routeAsyncProperties
}, { description: 'A routed endpoint' })
