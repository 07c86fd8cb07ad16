// `gatewayctl flip <route> legacy|lambda [--reason R]`: moves a route to the other side, at once.
import { usageError } from './cli-error.js'
import type { CommandContext } from './context.js'
import { patchRoute } from './patch-route.js'

export async function flipCommand (ctx: CommandContext): Promise<void> {
  const [routeId, target] = ctx.args
  if (routeId === undefined || (target !== 'legacy' && target !== 'lambda') || ctx.args.length > 2) {
    throw usageError('usage: gatewayctl flip <route> legacy|lambda [--reason R]')
  }
  await patchRoute(ctx, routeId, { target })
}
