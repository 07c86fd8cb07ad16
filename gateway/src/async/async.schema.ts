// Config fragments of the asynchronous integration (issue 10), for the config module to import:
// `AsyncSectionSchema` is the top-level `async:` block, `RouteAsyncSchema` the optional
// `async:` of a route (spread `routeAsyncProperties` into RouteSchema). `asyncConfigProblems`
// holds the checks a schema cannot express (no async GET, the job prefix reserved from routing).
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { withSchemaDefaults } from '../config/schema/common.schema.js'
import type { PartialSettings } from '../config/schema/common.schema.js'

export const ASYNC_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const

export const RouteAsyncSchema = Type.Object({
  enabled: Type.Boolean({ default: false, description: 'Accept writes durably, answer 202 + Location, deliver to legacy in the background' }),
  maxAttempts: Type.Integer({ minimum: 1, maximum: 1000, default: 10, description: 'Legacy attempts that may fail transiently (5xx, 408, 429, network) before the job is dead-lettered' }),
  backoff: Type.Object({
    baseMs: Type.Integer({ minimum: 1, maximum: 3_600_000, default: 500, description: 'First retry delay cap; doubles per attempt, full jitter (milliseconds)' }),
    maxMs: Type.Integer({ minimum: 1, maximum: 86_400_000, default: 60_000, description: 'Largest retry delay (milliseconds)' })
  }, { additionalProperties: false, default: {} }),
  deadLetterAfter: Type.Integer({ minimum: 1000, maximum: 30 * 86_400_000, default: 86_400_000, description: 'Age after which an undelivered job is dead-lettered even with attempts left, e.g. a long legacy outage during which waits burn no attempts (milliseconds)' })
}, { additionalProperties: false, description: 'Asynchronous delivery of this write route (POST/PUT/PATCH/DELETE only)' })

/** Spread into RouteSchema's properties: `...routeAsyncProperties`. */
export const routeAsyncProperties = { async: Type.Optional(RouteAsyncSchema) }

export const RetentionSchema = Type.Object({
  settledMs: Type.Integer({ minimum: 1000, maximum: 3650 * 86_400_000, default: 604_800_000, description: 'How long a delivered or failed job is kept after it settled, with its status and idempotency key; then the sweep deletes it (milliseconds; default 7 days). Dead jobs are kept until purged (gatewayctl jobs purge-dead)' }),
  sweepIntervalMs: Type.Integer({ minimum: 100, maximum: 86_400_000, default: 60_000, description: 'Time between two retention sweeps (milliseconds)' }),
  batchSize: Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'Jobs deleted per sweep step (one short transaction or Lua script); the sweep pauses between steps so intakes run first (at most 1000: a Redis step passes its keys to one variadic call)' })
}, { additionalProperties: false, default: {}, description: 'Retention of settled jobs: swept in small batches off the request path' })

export const AsyncSectionSchema = Type.Object({
  dataDir: Type.String({ minLength: 1, default: 'async', description: 'Directory of the SQLite job queue (jobs.db, WAL), relative to the state directory (state.dir, GATEWAY_STATE_DIR); created if absent' }),
  maxQueuedJobs: Type.Integer({ minimum: 1, maximum: 100_000_000, default: 100_000, description: 'Jobs queued or delivering at most; beyond → 503 + Retry-After' }),
  maxBodyBytes: Type.Integer({ minimum: 0, maximum: 10_485_760, default: 262_144, description: 'Largest request body stored with a job (bytes); larger → 413' }),
  maxResultBytes: Type.Integer({ minimum: 0, maximum: 1_048_576, default: 16_384, description: 'Legacy answer body kept with a delivered/failed job (bytes, truncated)' }),
  pathPrefix: Type.String({ pattern: '^/[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*$', default: '/_gateway/jobs', description: 'Job status path prefix on the public port; reserved from routing' }),
  workerConcurrency: Type.Integer({ minimum: 1, maximum: 256, default: 2, description: 'Deliveries in flight at most (keep it at or below legacy.maxConcurrency)' }),
  pollMs: Type.Integer({ minimum: 10, maximum: 60_000, default: 500, description: 'Longest sleep of an idle worker before it looks for due jobs (milliseconds)' }),
  secretHeaders: Type.Array(Type.String({ minLength: 1 }), { default: [], description: 'Extra request headers never stored with a job (authorization, cookie, proxy-authorization, x-api-key always are)' }),
  priorityClass: Type.Union([Type.Literal('retry'), Type.Literal('shadow')], { default: 'shadow', description: 'Legacy shield priority class of deliveries (shadow is the lowest)' }),
  retention: RetentionSchema
}, { additionalProperties: false, default: {}, description: 'Asynchronous integration: durable job queue and delivery worker' })

export type RouteAsyncConfig = Static<typeof RouteAsyncSchema>
export type AsyncSectionConfig = Static<typeof AsyncSectionSchema>
export type RetentionConfig = Static<typeof RetentionSchema>

/** The async section as a caller may give it: any field left out takes the schema's default. */
export type AsyncSectionInput = PartialSettings<AsyncSectionConfig>

/** The section with the schema's defaults (the loader has applied them already; tests may not). */
export function resolveAsyncSection (input: AsyncSectionInput = {}): AsyncSectionConfig {
  return withSchemaDefaults(AsyncSectionSchema, input)
}

// Per route block, once: a loaded route object is frozen and lives as long as its config.
const routeAsyncCache = new WeakMap<object, RouteAsyncConfig>()

/** An enabled route `async` block with the schema's defaults; undefined when async is off. */
export function resolveRouteAsync (input: PartialSettings<RouteAsyncConfig> | undefined): RouteAsyncConfig | undefined {
  if (input?.enabled !== true) return undefined
  let resolved = routeAsyncCache.get(input)
  if (resolved === undefined) {
    resolved = withSchemaDefaults(RouteAsyncSchema, input)
    routeAsyncCache.set(input, resolved)
  }
  return resolved
}

/** Whether any route is async-enabled (the gateway opens the job queue only then). */
export function hasAsyncRoute (routes: ReadonlyArray<{ async?: { enabled?: unknown } }>): boolean {
  return routes.some(r => r.async?.enabled === true)
}

interface LooseRoute { id?: unknown, methods?: unknown, path?: unknown, async?: { enabled?: unknown } }

export interface AsyncConfigProblem { path: string, message: string }

/**
 * Problems the schema cannot express: an async route must not serve GET/HEAD/OPTIONS (a read
 * cannot be answered later), and no route may live under the job prefix (it is the gateway's).
 */
export function asyncConfigProblems (config: { routes?: unknown, async?: { pathPrefix?: unknown } }): AsyncConfigProblem[] {
  const problems: AsyncConfigProblem[] = []
  const prefix = typeof config.async?.pathPrefix === 'string' ? config.async.pathPrefix : AsyncSectionSchema.properties.pathPrefix.default
  const routes = Array.isArray(config.routes) ? config.routes as LooseRoute[] : []
  routes.forEach((route, i) => {
    if (route === null || typeof route !== 'object') return
    const methods = Array.isArray(route.methods) ? route.methods.filter((m): m is string => typeof m === 'string') : []
    if (route.async?.enabled === true) {
      const reads = methods.filter(m => !(ASYNC_METHODS as readonly string[]).includes(m))
      if (reads.length > 0) {
        problems.push({ path: `routes[${i}].async.enabled`, message: `expected only ${ASYNC_METHODS.join('|')} methods on an async route, found ${reads.join(', ')}` })
      }
    }
    if (typeof route.path === 'string' && isUnderPrefix(route.path, prefix)) {
      problems.push({ path: `routes[${i}].path`, message: `expected a path outside the reserved job prefix ${prefix}, found "${route.path}"` })
    }
  })
  return problems
}

/** Case-insensitive, like the route matching default: /_Gateway/Jobs/x is still reserved. */
export function isUnderPrefix (path: string, prefix: string): boolean {
  const p = path.toLowerCase()
  const x = prefix.toLowerCase()
  return p === x || p.startsWith(x + '/')
}
