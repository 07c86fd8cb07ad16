// What every gatewayctl command gets: the admin client, its arguments and flags, and output.
import type { AdminClient } from './admin-client.js'

export interface CommandFlags {
  json: boolean
  reason: string | undefined
  limit: string | undefined
  days: string | undefined
}

export interface CommandContext {
  client: AdminClient
  /** Positional arguments after the command name. */
  args: string[]
  flags: CommandFlags
  /** Writes to stdout (human text, or JSON with --json). */
  out: (text: string) => void
}

/** Prints a value as pretty JSON (the --json output of every command). */
export function printJson (ctx: CommandContext, value: unknown): void {
  ctx.out(JSON.stringify(value, null, 2) + '\n')
}
