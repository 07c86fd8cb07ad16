// `gatewayctl reload [--reason R]`: POST /admin/reload. A valid config applies atomically; an
// invalid one is refused with its errors (exit 6) and the old config keeps serving.
import type { AuditEntry } from './admin-types.js'
import { usageError } from './cli-error.js'
import { printJson } from './context.js'
import type { CommandContext } from './context.js'

export async function reloadCommand (ctx: CommandContext): Promise<void> {
  if (ctx.args.length > 0) throw usageError('usage: gatewayctl reload [--reason R]')
  const body = ctx.flags.reason === undefined ? {} : { reason: ctx.flags.reason }
  const result = await ctx.client.request<{ ok: true, audit: AuditEntry }>('POST', '/admin/reload', body)
  if (ctx.flags.json) return printJson(ctx, result)
  ctx.out(`config reloaded (by ${result.audit.who} at ${result.audit.time})\n`)
}
