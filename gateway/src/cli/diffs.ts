// `gatewayctl diffs <route> [--limit N]`: the route's shadow totals and its last mismatches, one
// row per differing path with the legacy and the Lambda value (JSON; `(absent)` when a side has
// no such field). Newest first; --json prints the admin API's answer as is.
import { usageError } from './cli-error.js'
import { printJson } from './context.js'
import type { CommandContext } from './context.js'
import { formatTable } from './table.js'

interface DiffRow { path: string, legacy?: unknown, lambda?: unknown, absent?: 'legacy' | 'lambda' }
interface Mismatch { at: string, method: string, url: string, primary: string, legacy: { status: number }, lambda: { status: number }, diffs: DiffRow[] }
interface DiffsAnswer {
  routeId: string
  shadow: { enabled: boolean }
  counts: { match: number, mismatch: number, error: number, shed: number }
  noise: string[]
  mismatches: Mismatch[]
}

const MAX_CELL = 60

function value (d: DiffRow, side: 'legacy' | 'lambda'): string {
  if (d.absent === side) return '(absent)'
  const text = JSON.stringify(d[side]) ?? '(absent)'
  return text.length > MAX_CELL ? text.slice(0, MAX_CELL - 1) + '…' : text
}

export async function diffsCommand (ctx: CommandContext): Promise<void> {
  const [routeId, extra] = ctx.args
  if (routeId === undefined || extra !== undefined) throw usageError('usage: gatewayctl diffs <route> [--limit N]')
  const limit = ctx.flags.limit ?? '10'
  if (!/^\d+$/.test(limit) || Number(limit) < 1) throw usageError('--limit must be a positive integer')
  const answer = await ctx.client.request<DiffsAnswer>('GET', `/admin/routes/${encodeURIComponent(routeId)}/diffs`)
  if (ctx.flags.json) return printJson(ctx, answer)
  const c = answer.counts
  ctx.out(`${answer.routeId}: shadow ${answer.shadow.enabled ? 'on' : 'off'}; ${c.match} match, ${c.mismatch} mismatch, ${c.error} error, ${c.shed} shed\n`)
  if (answer.noise.length > 0) ctx.out(`noise (ignored): ${answer.noise.join(', ')}\n`)
  const shown = answer.mismatches.slice(0, Number(limit))
  if (shown.length === 0) return ctx.out('no mismatches recorded\n')
  const rows: string[][] = []
  for (const m of shown) {
    const request = `${m.method} ${m.url}`
    for (const d of m.diffs) rows.push([m.at, request, m.primary, d.path, value(d, 'legacy'), value(d, 'lambda')])
  }
  ctx.out(formatTable(
    [{ header: 'TIME' }, { header: 'REQUEST' }, { header: 'CLIENT GOT' }, { header: 'PATH' }, { header: 'LEGACY' }, { header: 'LAMBDA' }],
    rows))
}
