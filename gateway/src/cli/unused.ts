// `gatewayctl unused --days N`: routes and Lambda functions without traffic for N days, the
// list to review before deleting a route or a function.
import type { UnusedItem, UnusedReport } from './admin-types.js'
import { usageError } from './cli-error.js'
import { printJson } from './context.js'
import type { CommandContext } from './context.js'
import { formatTable } from './table.js'

function section (title: string, items: UnusedItem[]): string {
  if (items.length === 0) return `${title}: none\n`
  return `${title}:\n` + formatTable([{ header: 'ID' }, { header: 'LAST HIT' }, { header: 'IDLE DAYS', align: 'right' }],
    items.map(i => [i.id, i.lastHit ?? 'never', String(i.idleDays)]))
}

export async function unusedCommand (ctx: CommandContext): Promise<void> {
  const days = ctx.flags.days ?? ctx.args[0]
  if (days === undefined || !/^\d+(\.\d+)?$/.test(days)) throw usageError('usage: gatewayctl unused --days N')
  const report = await ctx.client.request<UnusedReport>('GET', `/admin/unused?days=${days}`)
  if (ctx.flags.json) return printJson(ctx, report)
  ctx.out(`No traffic for ${report.days} day(s) (as of ${report.now}; never-hit items count from ${report.firstStartedAt}):\n`)
  ctx.out(section('Routes', report.routes))
  ctx.out(section('Lambda functions', report.functions))
}
