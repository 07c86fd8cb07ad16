// The cockpit's own read-only admin endpoints (same auth as every /admin call: bearer token or
// cockpit session): the migration overview (routes on Lambda, the share of requests the Lambdas
// answered per bounded context over the last hour, per-route figures of the last minute) and a
// route's 60-minute series with its Lambda's cold starts. Figures are this replica's only.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import { AdminNotFoundError } from '../errors.js'
import { adminAuthHook } from '../ops/admin-auth-hook.js'
import type { AdminToken } from '../ops/admin-auth.js'
import type { RouteStateSource } from '../pipeline/context.js'
import { BUCKET_MS, BUCKETS } from './time-series.js'
import type { TrafficTimeSeries } from './time-series.js'
import { contextShares, recentFigures } from './overview.js'
import type { CockpitRoute } from './overview.js'

interface MetricSource { get: () => Promise<{ values: Array<{ labels: Record<string, string | number | undefined>, value: number, metricName?: string }> }> }

export interface CockpitApiOptions {
  tokens: AdminToken[]
  series: TrafficTimeSeries
  /** The configured routes now (follows reloads). */
  routes: () => CockpitRoute[]
  state: RouteStateSource
  /** gateway_lambda_cold_starts_total and gateway_lambda_init_duration_seconds. */
  coldStarts: MetricSource
  initDuration: MetricSource
  /** The rollout guard's view of a route (GET /admin/routes/:id/guard), if a guard runs. */
  guard?: (routeId: string) => unknown
}

async function lambdaFigures (o: CockpitApiOptions, fn: string): Promise<{ coldStarts: number, initMsAvg: number | null }> {
  const cold = (await o.coldStarts.get()).values.find(v => v.labels.function === fn)?.value ?? 0
  const init = (await o.initDuration.get()).values.filter(v => v.labels.function === fn)
  const sum = init.find(v => v.metricName?.endsWith('_sum'))?.value ?? 0
  const count = init.find(v => v.metricName?.endsWith('_count'))?.value ?? 0
  return { coldStarts: cold, initMsAvg: count === 0 ? null : Math.round(sum / count * 10000) / 10 }
}

export function cockpitApiRoutes (o: CockpitApiOptions): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    app.addHook('onRequest', adminAuthHook(o.tokens))
    app.get('/admin/cockpit/overview', async () => {
      const routes = o.routes()
      const onLambda = routes.filter(r => o.state.get(r.id)?.target === 'lambda').length
      return {
        bucketMs: BUCKET_MS,
        windowMs: BUCKET_MS * BUCKETS,
        scope: 'this replica',
        routes: { total: routes.length, onLambda },
        contexts: contextShares(o.series, routes),
        figures: recentFigures(o.series, routes),
        meta: Object.fromEntries(routes.map(r => [r.id, { context: r.context, steps: r.steps ?? null, guard: o.guard?.(r.id) ?? null }]))
      }
    })
    app.get<{ Params: { id: string } }>('/admin/cockpit/routes/:id/series', async (request) => {
      const route = o.routes().find(r => r.id === request.params.id)
      if (route === undefined) throw new AdminNotFoundError(`unknown route "${request.params.id}"`)
      return {
        routeId: route.id,
        scope: 'this replica',
        series: o.series.series(route.id),
        lambda: route.lambdaFunction === undefined ? null : { function: route.lambdaFunction, ...await lambdaFigures(o, route.lambdaFunction) }
      }
    })
  }
}
