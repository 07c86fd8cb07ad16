// `gatewayctl audit [--limit N]`: the newest changes first: when, who, what, before -> after, why.
import type { AuditEntry } from './admin-types.js'
import { usageError } from './cli-error.js'
import { printJson } from './context.js'
import type { CommandContext } from './context.js'
import { describeChange } from './patch-route.js'
import { formatTable } from './table.js'

function change (e: AuditEntry): string {
  if (e.action === 'route.patch') return describeChange(e.before as never, e.after as never)
  if (e.action === 'config.reload.refused') return `refused: ${((e.after as { errors?: string[] } | null)?.errors ?? []).length} error(s)`
  const b = (e.before as { state?: string } | null)?.state
  const a = (e.after as { state?: string } | null)?.state
  return b !== undefined && a !== undefined ? `${b} -> ${a}` : '-'
}

export async function auditCommand (ctx: CommandContext): Promise<void> {
  const limit = ctx.flags.limit ?? '20'
  if (!/^\d+$/.test(limit) || Number(limit) < 1) throw usageError('--limit must be a positive integer')
  const { entries } = await ctx.client.request<{ entries: AuditEntry[] }>('GET', `/admin/audit?limit=${limit}`)
  if (ctx.flags.json) return printJson(ctx, { entries })
  if (entries.length === 0) return ctx.out('no audit entries\n')
  ctx.out(formatTable(
    [{ header: 'TIME' }, { header: 'WHO' }, { header: 'ACTION' }, { header: 'ROUTE' }, { header: 'CHANGE' }, { header: 'REASON' }],
    entries.map(e => [e.time, e.who, e.action, e.routeId ?? '-', change(e), e.reason ?? '-'])))
}
