// The shared half of flip, rollout and shadow: PATCH /admin/routes/:id and report the change.
import type { AuditEntry, RouteView } from './admin-types.js'
import { printJson } from './context.js'
import type { CommandContext } from './context.js'

type Settings = { target: string, rolloutPercent: number, shadow: { enabled: boolean } }

export function describeChange (before: Settings, after: Settings): string {
  const parts: string[] = []
  if (before.target !== after.target) parts.push(`target ${before.target} -> ${after.target}`)
  if (before.rolloutPercent !== after.rolloutPercent) parts.push(`rollout ${before.rolloutPercent}% -> ${after.rolloutPercent}%`)
  if (before.shadow.enabled !== after.shadow.enabled) parts.push(`shadow ${before.shadow.enabled ? 'on' : 'off'} -> ${after.shadow.enabled ? 'on' : 'off'}`)
  return parts.length === 0 ? 'no change' : parts.join(', ')
}

export async function patchRoute (ctx: CommandContext, routeId: string, patch: Record<string, unknown>): Promise<void> {
  const body = ctx.flags.reason === undefined ? patch : { ...patch, reason: ctx.flags.reason }
  const result = await ctx.client.request<{ route: RouteView, audit: AuditEntry }>(
    'PATCH', `/admin/routes/${encodeURIComponent(routeId)}`, body)
  if (ctx.flags.json) return printJson(ctx, result)
  const change = describeChange(result.audit.before as Settings, result.audit.after as Settings)
  const reason = result.audit.reason === null ? '' : `, reason: ${result.audit.reason}`
  ctx.out(`${routeId}: ${change} (by ${result.audit.who} at ${result.audit.time}${reason})\n`)
}
