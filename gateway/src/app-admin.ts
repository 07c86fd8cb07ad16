// The admin instance as build() wires it: the ops admin API (with ops), the rollout guard's and
// shadow's views, the cockpit API, the async admin routes, then whatever the caller adds.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import type { BuildDeps, ReloadOutcome } from './app-deps.js'
import type { GatewayContext } from './pipeline/context.js'
import { buildAdminServer } from './ops/admin-server.js'
import { adminRoutes } from './ops/admin-routes.plugin.js'
import { breakerControlFrom } from './ops/admin-routes-breakers.js'
import { routeStatsFromMetrics } from './ops/admin-routes-stats.js'
import { adminDiffsRoutes } from './shadow/shadow-admin.plugin.js'
import type { Protection } from './protection/protection.js'
import type { GuardController } from './guard/guard-controller.js'
import { guardAdminRoutes } from './guard/guard-admin.plugin.js'
import type { ShadowTraffic } from './shadow/shadow-setup.js'
import { cockpitApiRoutes } from './cockpit/cockpit-api.plugin.js'
import { contextOf } from './cockpit/overview.js'
import type { AsyncIntegration } from './async/async-setup.js'

export interface AdminParts {
  context: GatewayContext
  logger: FastifyBaseLogger
  protection: Protection
  guard: GuardController | undefined
  shadow: ShadowTraffic
  asyncJobs: AsyncIntegration | undefined
  reload: () => Promise<ReloadOutcome>
}

export async function buildAdmin (deps: BuildDeps, p: AdminParts): Promise<FastifyInstance> {
  const { context, guard } = p
  const tokens = deps.adminTokens ?? []
  const adminPlugins = [...deps.adminPlugins ?? [], ...p.asyncJobs ? [p.asyncJobs.adminPlugin] : []]
  if (deps.ops) {
    adminPlugins.unshift(adminRoutes({
      routeState: deps.ops.routeState,
      audit: deps.ops.audit,
      tokens,
      reload: p.reload,
      breakers: breakerControlFrom(p.protection.breakers),
      stats: routeStatsFromMetrics(context.metrics),
      ...(deps.ops.now ? { now: deps.ops.now } : {})
    }))
    const ops = deps.ops
    if (guard !== undefined) adminPlugins.push(guardAdminRoutes({ guard, tokens, knows: id => ops.routeState.definition(id) !== undefined }))
  }
  adminPlugins.push(adminDiffsRoutes({
    shadow: p.shadow,
    tokens,
    knows: id => context.config.routes.some(r => r.id === id),
    enabled: id => {
      const state = context.routeState.get(id) as { shadow?: { enabled?: boolean } } | undefined
      return state?.shadow?.enabled ?? context.config.routes.find(r => r.id === id)?.shadow?.enabled ?? false
    }
  }))
  adminPlugins.push(cockpitApiRoutes({
    tokens,
    series: context.timeSeries!,
    routes: () => context.config.routes.map(r => ({
      id: r.id,
      context: contextOf(r),
      ...(r.lambda ? { lambdaFunction: r.lambda.function } : {}),
      ...(r.rollout?.steps ? { steps: r.rollout.steps } : {})
    })),
    ...(guard ? { guard: (id: string) => guard.view(id) } : {}),
    state: context.routeState,
    coldStarts: context.metrics.lambdaColdStarts,
    initDuration: context.metrics.lambdaInitDuration
  }))
  return buildAdminServer({
    context,
    logger: p.logger,
    ...(deps.adminTokens ? { tokens: deps.adminTokens } : {}),
    plugins: adminPlugins
  })
}
