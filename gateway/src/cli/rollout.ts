// `gatewayctl rollout <route> <percent> [--reason R]`: the share (0-100) sent to the Lambda while
// the route's target is lambda. Sticky and monotone: raising it never moves a user back.
import { usageError } from './cli-error.js'
import type { CommandContext } from './context.js'
import { patchRoute } from './patch-route.js'

export async function rolloutCommand (ctx: CommandContext): Promise<void> {
  const [routeId, raw] = ctx.args
  const percent = raw === undefined ? Number.NaN : Number(raw.replace(/%$/, ''))
  if (routeId === undefined || raw === undefined || raw.trim() === '' || !Number.isFinite(percent) || ctx.args.length > 2) {
    throw usageError('usage: gatewayctl rollout <route> <percent 0-100> [--reason R]')
  }
  await patchRoute(ctx, routeId, { rolloutPercent: percent })
}
