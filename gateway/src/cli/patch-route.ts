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

/**
 * Reads the route, then PATCHes it with If-Match: its version, so a change made in between (an
 * operator on the cockpit, the guard, a reload) is refused with exit 7 instead of overwritten.
 */
export async function patchRoute (ctx: CommandContext, routeId: string, patch: Record<string, unknown>): Promise<void> {
  const body = ctx.flags.reason === undefined ? patch : { ...patch, reason: ctx.flags.reason }
  const path = `/admin/routes/${encodeURIComponent(routeId)}`
  const read = await ctx.client.request<{ route: RouteView }>('GET', path)
  const result = await ctx.client.request<{ route: RouteView, audit: AuditEntry }>(
    'PATCH', path, body, { 'if-match': read.route.version })
  if (ctx.flags.json) return printJson(ctx, result)
  const change = describeChange(result.audit.before as Settings, result.audit.after as Settings)
  const reason = result.audit.reason === null ? '' : `, reason: ${result.audit.reason}`
  ctx.out(`${routeId}: ${change} (by ${result.audit.who} at ${result.audit.time}${reason})\n`)
}
