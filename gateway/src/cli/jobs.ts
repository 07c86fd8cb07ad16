// `gatewayctl jobs list [state] [--limit N] | show <id> | retry <id> | purge-dead`: the async
// integration's job queue through the admin API (/admin/jobs). Dead letters are listed with
// `jobs list dead` and replayed with `jobs retry <id>` (same Idempotency-Key, fresh attempts).
import { usageError } from './cli-error.js'
import { printJson } from './context.js'
import type { CommandContext } from './context.js'
import { formatTable } from './table.js'
import type { JobView, adminJobView } from '../async/job-view.js'

const STATES = ['queued', 'delivering', 'delivered', 'failed', 'dead']
const USAGE = 'usage: gatewayctl jobs list [queued|delivering|delivered|failed|dead] [--limit N] | show <id> | retry <id> | purge-dead'

/** The admin API's job shapes (type-only imports: erased, the CLI bundle stays free of the server). */
type AdminJobView = ReturnType<typeof adminJobView>

const enc = encodeURIComponent

async function list (ctx: CommandContext, state: string | undefined): Promise<void> {
  if (state !== undefined && !STATES.includes(state)) throw usageError(`unknown state "${state}"\n${USAGE}`)
  const params = new URLSearchParams()
  if (state !== undefined) params.set('state', state)
  if (ctx.flags.limit !== undefined) {
    if (!/^\d+$/.test(ctx.flags.limit)) throw usageError(`--limit must be a whole number, found "${ctx.flags.limit}"`)
    params.set('limit', ctx.flags.limit)
  }
  const q = params.toString()
  const res = await ctx.client.request<{ counts: Record<string, number>, jobs: JobView[] }>('GET', `/admin/jobs${q === '' ? '' : `?${q}`}`)
  if (ctx.flags.json) return printJson(ctx, res)
  ctx.out(STATES.map(s => `${s} ${res.counts[s] ?? 0}`).join('  ') + '\n')
  if (res.jobs.length === 0) return
  ctx.out(formatTable([
    { header: 'ID' }, { header: 'ROUTE' }, { header: 'STATE' }, { header: 'ATTEMPTS', align: 'right' },
    { header: 'CREATED' }, { header: 'LEGACY', align: 'right' }, { header: 'LAST ERROR' }
  ], res.jobs.map(j => [
    j.id, j.route, j.state, `${j.attempts}/${j.maxAttempts}`, j.createdAt,
    j.result === null ? '-' : String(j.result.status), j.lastError ?? '-'
  ])))
}

async function show (ctx: CommandContext, id: string): Promise<void> {
  const { job } = await ctx.client.request<{ job: AdminJobView }>('GET', `/admin/jobs/${enc(id)}`)
  if (ctx.flags.json) return printJson(ctx, { job })
  const lines: Array<[string, string]> = [
    ['id', job.id], ['route', job.route], ['state', job.state], ['request', `${job.method} ${job.path} (${job.bodyBytes} bytes)`],
    ['idempotency-key', job.deliveryKey], ['attempts', `${job.attempts}/${job.maxAttempts}`],
    ['created', job.createdAt], ['updated', job.updatedAt], ['next attempt', job.nextAttemptAt ?? '-'],
    ['finished', job.finishedAt ?? '-'], ['last error', job.lastError ?? '-'],
    ['legacy', job.result === null ? '-' : `${job.result.status}${job.result.truncated ? ' (body truncated)' : ''}`]
  ]
  ctx.out(lines.map(([k, v]) => `${k.padEnd(16)}${v}`).join('\n') + '\n')
  if (job.result !== null && job.result.body !== '') ctx.out(`\n${job.result.body}\n`)
}

export async function jobsCommand (ctx: CommandContext): Promise<void> {
  const [sub, arg, extra] = ctx.args
  if (extra !== undefined) throw usageError(USAGE)
  switch (sub) {
    case 'list':
      return list(ctx, arg)
    case 'show':
      if (arg === undefined) throw usageError(USAGE)
      return show(ctx, arg)
    case 'retry': {
      if (arg === undefined) throw usageError(USAGE)
      const { job } = await ctx.client.request<{ job: JobView }>('POST', `/admin/jobs/${enc(arg)}/retry`, {})
      if (ctx.flags.json) return printJson(ctx, { job })
      ctx.out(`job ${job.id} requeued (state ${job.state}, attempts reset)\n`)
      return
    }
    case 'purge-dead': {
      if (arg !== undefined) throw usageError(USAGE)
      const res = await ctx.client.request<{ purged: number }>('POST', '/admin/jobs/purge-dead', {})
      if (ctx.flags.json) return printJson(ctx, res)
      ctx.out(`${res.purged} dead job(s) purged\n`)
      return
    }
    default:
      throw usageError(USAGE)
  }
}
