// `gatewayctl shadow <route> on|off [--reason R]`: mirrors the route's traffic to the other side.
import { usageError } from './cli-error.js'
import type { CommandContext } from './context.js'
import { patchRoute } from './patch-route.js'

export async function shadowCommand (ctx: CommandContext): Promise<void> {
  const [routeId, mode] = ctx.args
  if (routeId === undefined || (mode !== 'on' && mode !== 'off') || ctx.args.length > 2) {
    throw usageError('usage: gatewayctl shadow <route> on|off [--reason R]')
  }
  await patchRoute(ctx, routeId, { shadow: { enabled: mode === 'on' } })
}
