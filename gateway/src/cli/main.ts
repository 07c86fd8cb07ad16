// gatewayctl: the ops CLI over the admin API. `run()` is the whole program (argv in, exit code
// out) so tests call it in-process; bin/gatewayctl.js only launches it.
import { parseArgs } from 'node:util'
import { AdminClient, DEFAULT_ADMIN_URL } from './admin-client.js'
import type { AdminClientOptions } from './admin-client.js'
import { auditCommand } from './audit.js'
import { diffsCommand } from './diffs.js'
import { CliError, EXIT, usageError } from './cli-error.js'
import type { CommandContext } from './context.js'
import { flipCommand } from './flip.js'
import { jobsCommand } from './jobs.js'
import { rolloutCommand } from './rollout.js'
import { reloadCommand } from './reload.js'
import { routesCommand } from './routes.js'
import { shadowCommand } from './shadow.js'
import { statusCommand } from './status.js'
import { unusedCommand } from './unused.js'
import { isLoopbackHost } from '../ops/admin-auth.js'
import { localTokenPath, readLocalToken } from '../cockpit/local-token.js'

export const USAGE = `usage: gatewayctl <command> [options]

commands:
  status                                  routes with target, rollout, traffic per side, breakers
  routes                                  route table; * marks runtime overrides
  flip <route> legacy|lambda [--reason R] move a route to the other side now
  rollout <route> <percent> [--reason R]  share (0-100) of a lambda route's traffic on the Lambda
  shadow <route> on|off [--reason R]      mirror a route's traffic to the other side
  diffs <route> [--limit N]               shadow totals and the last mismatches (path, legacy, Lambda)
  audit [--limit N]                       newest changes first (default 20)
  unused --days N                         routes and functions without traffic for N days
  reload [--reason R]                     re-read the config now (refused if invalid)
  jobs list [state] [--limit N]           async jobs, newest first (state: queued|delivering|delivered|failed|dead)
  jobs show|retry <id>, jobs purge-dead   one job; replay a dead/failed job; delete dead jobs

options:
  --json       machine-readable output
  --reason R   why (recorded in the audit log)

environment:
  GATEWAY_ADMIN_URL    admin API (default ${DEFAULT_ADMIN_URL})
  GATEWAY_ADMIN_TOKEN  bearer token of the admin API; unset and a loopback URL: the token
                       npm start generated in $GATEWAY_STATE_DIR (default ./var)/admin-token

exit codes: 0 ok, 1 admin API error, 2 usage, 3 unreachable, 4 bad token, 5 unknown route, 6 invalid value,
  7 the route changed while gatewayctl was changing it (run it again)
`

const COMMANDS: Record<string, (ctx: CommandContext) => Promise<void>> = {
  status: statusCommand,
  routes: routesCommand,
  flip: flipCommand,
  rollout: rolloutCommand,
  shadow: shadowCommand,
  diffs: diffsCommand,
  audit: auditCommand,
  unused: unusedCommand,
  reload: reloadCommand,
  jobs: jobsCommand
}

export interface CliIo {
  env: Record<string, string | undefined>
  stdout: (text: string) => void
  stderr: (text: string) => void
  timeoutMs?: number
  fetch?: typeof fetch
}

const processIo: CliIo = {
  env: process.env,
  stdout: text => { process.stdout.write(text) },
  stderr: text => { process.stderr.write(text) }
}

function parse (argv: string[]): { command: string | undefined, args: string[], flags: CommandContext['flags'], help: boolean } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean', default: false },
        reason: { type: 'string' },
        limit: { type: 'string' },
        days: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false }
      }
    })
    const [command, ...args] = positionals
    return { command, args, help: values.help === true, flags: { json: values.json === true, reason: values.reason, limit: values.limit, days: values.days } }
  } catch (err) {
    throw usageError((err as Error).message)
  }
}

/** npm start's generated token, for a loopback admin URL only (never sent anywhere else). */
function localToken (baseUrl: string, env: CliIo['env']): string | undefined {
  let host: string
  try { host = new URL(baseUrl).hostname } catch { return undefined }
  return isLoopbackHost(host) ? readLocalToken(localTokenPath(env)) : undefined
}

/** Runs gatewayctl; resolves to the process exit code (see USAGE). Never throws. */
export async function run (argv: string[], io: CliIo = processIo): Promise<number> {
  try {
    const { command, args, flags, help } = parse(argv)
    if (help || command === 'help' || command === undefined) {
      (command === undefined && !help ? io.stderr : io.stdout)(USAGE)
      return command === undefined && !help ? EXIT.usage : EXIT.ok
    }
    const handler = COMMANDS[command]
    if (handler === undefined) throw usageError(`unknown command "${command}"`)
    const baseUrl = io.env.GATEWAY_ADMIN_URL ?? DEFAULT_ADMIN_URL
    const options: AdminClientOptions = { baseUrl, token: io.env.GATEWAY_ADMIN_TOKEN || localToken(baseUrl, io.env) }
    if (io.timeoutMs !== undefined) options.timeoutMs = io.timeoutMs
    if (io.fetch !== undefined) options.fetch = io.fetch
    const client = new AdminClient(options)
    await handler({ client, args, flags, out: io.stdout })
    return EXIT.ok
  } catch (err) {
    if (err instanceof CliError) {
      io.stderr(`gatewayctl: ${err.message}\n`)
      return err.exitCode
    }
    io.stderr(`gatewayctl: unexpected error: ${(err as Error).stack ?? String(err)}\n`)
    return EXIT.failed
  }
}
