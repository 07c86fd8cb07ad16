// `gatewayctl routes`: the route table with each runtime value marked, so an operator sees at a
// glance what differs from config/gateway.yaml.
import type { RouteView } from './admin-types.js'
import { printJson } from './context.js'
import type { CommandContext } from './context.js'
import { formatTable } from './table.js'

const mark = (value: string, source: string): string => source === 'runtime' ? `${value}*` : value

export async function routesCommand (ctx: CommandContext): Promise<void> {
  const { routes } = await ctx.client.request<{ routes: RouteView[] }>('GET', '/admin/routes')
  if (ctx.flags.json) return printJson(ctx, { routes })
  ctx.out(formatTable([
    { header: 'ROUTE' }, { header: 'METHODS' }, { header: 'PATH' }, { header: 'TARGET' },
    { header: 'ROLLOUT', align: 'right' }, { header: 'SHADOW' }, { header: 'FUNCTION' }, { header: 'LAST HIT' }
  ], routes.map((r: RouteView) => [
    r.id, r.methods.join(','), r.path,
    mark(r.target, r.sources.target),
    mark(`${r.rolloutPercent}%`, r.sources.rolloutPercent),
    mark(r.shadow.enabled ? 'on' : 'off', r.sources['shadow.enabled']),
    r.lambdaFunction ?? '-',
    r.lastHit ?? 'never'
  ])))
  if (routes.some(r => Object.values(r.sources).includes('runtime'))) {
    ctx.out('* runtime override (set through the admin API; config value in --json)\n')
  }
}
