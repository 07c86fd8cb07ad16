// `gatewayctl status`: one line per route with the target, rollout and per-side traffic figures
// (requests, error rate, p95) and the breaker state, from GET /admin/routes.
import type { RouteView } from './admin-types.js'
import { printJson } from './context.js'
import type { CommandContext } from './context.js'
import { formatTable, ms, percent } from './table.js'

/** `closed` when every breaker of the route is, else the sides that are not (`lambda:open`). */
export function breakerSummary (r: RouteView): string {
  const sides = (['legacy', 'lambda'] as const).filter(side => r.breakers[side] !== null)
  if (sides.length === 0) return '-'
  const notClosed = sides.filter(side => r.breakers[side] !== 'closed')
  return notClosed.length === 0 ? 'closed' : notClosed.map(side => `${side}:${String(r.breakers[side])}`).join(' ')
}

export async function statusCommand (ctx: CommandContext): Promise<void> {
  const { routes } = await ctx.client.request<{ routes: RouteView[] }>('GET', '/admin/routes')
  if (ctx.flags.json) return printJson(ctx, { routes })
  const right = { align: 'right' as const }
  ctx.out(formatTable([
    { header: 'ROUTE' }, { header: 'METHOD' }, { header: 'PATH' }, { header: 'TARGET' }, { header: 'ROLLOUT', ...right },
    { header: 'LEGACY REQ', ...right }, { header: 'LEGACY ERR', ...right }, { header: 'LEGACY P95', ...right },
    { header: 'LAMBDA REQ', ...right }, { header: 'LAMBDA ERR', ...right }, { header: 'LAMBDA P95', ...right },
    { header: 'BREAKER' }
  ], routes.map(r => [
    r.id, r.methods.join(','), r.path, r.target, r.target === 'lambda' ? `${r.rolloutPercent}%` : '-',
    String(r.stats?.legacy.requests ?? '-'), percent(r.stats?.legacy.errorRate), ms(r.stats?.legacy.p95Ms),
    String(r.stats?.lambda.requests ?? '-'), percent(r.stats?.lambda.errorRate), ms(r.stats?.lambda.p95Ms),
    breakerSummary(r)
  ])))
}
