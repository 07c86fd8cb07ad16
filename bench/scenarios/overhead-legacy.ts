// Scenario 1: what a proxy costs over the physical limit. The same closed-loop and open-loop
// load straight to a bare Node origin, through nginx, bare @fastify/http-proxy, the gateway
// with protection configured but not triggering, and the gateway with every protection on.
// `cpu µs/req`: the contender's own CPU time (its process tree, from /proc; the origin's for
// direct) per request answered in a measured round, median over rounds.
import { copyFileSync, existsSync, readFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnChild } from '../lib/child.js'
import { closedLoop } from '../lib/closed-loop.js'
import type { Contender } from '../lib/contenders.js'
import { bareProxyContender, baselineGatewayContender, directContender, gatewayContender, nginxContender, tracingGatewayContender } from '../lib/contenders.js'
import type { ScenarioContext, ScenarioOutcome } from '../lib/context.js'
import type { CpuProfile, ProfileSummary } from '../lib/cpu-profile.js'
import { summarizeProfile } from '../lib/cpu-profile.js'
import { LEGACY_ROUTE_PATH } from '../lib/gateway-config.js'
import type { ContenderFigures, MeasureTarget, OverheadLoad } from '../lib/measure.js'
import { measureInterleaved, measureOverhead } from '../lib/measure.js'
import { metaOf, resultFile, writeResult, writeText } from '../lib/results.js'
import { scaled } from '../lib/scale.js'
import { ratio } from '../lib/stats.js'
import { markdownTable } from '../lib/table.js'

export const NAME = 'overhead-legacy'

export function overheadTable (figures: ReadonlyArray<{ name: string, figures: ContenderFigures }>): string {
  const direct = figures.find(f => f.name === 'direct')?.figures
  const rows = figures.map(({ name, figures: f }) => [
    name,
    f.closed.median.rps, ratio(f.closed.median.rps, direct?.closed.median.rps), f.closed.median.cpuUsPerReq,
    f.closed.median.p50, f.closed.median.p99, f.closed.median.p999,
    f.open.median.p50, f.open.median.p99, f.open.median.p999, ratio(f.open.median.p99, direct?.open.median.p99), f.open.median.cpuUsPerReq,
    f.closed.median.errors + f.open.median.errors
  ])
  const openRate = figures[0]?.figures.open.rate ?? 0
  return markdownTable(['contender', 'closed req/s', 'vs direct', 'cpu µs/req', 'p50 ms', 'p99 ms', 'p99.9 ms',
    `open@${openRate}/s p50`, 'p99', 'p99.9', 'p99 vs direct', 'open cpu µs/req', 'errors'], rows)
}

async function profileGateway (ctx: ScenarioContext, origin: string, load: OverheadLoad): Promise<ProfileSummary | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-prof-'))
  try {
    const file = join(dir, 'gateway.cpuprofile')
    const gw = await gatewayContender(ctx, 'configured', 'gateway').start(origin, { cpuProfileFile: file })
    try {
      await closedLoop({ url: gw.url + load.path, connections: load.connections, durationS: load.warmupS })
      gw.startProfile?.()
      await closedLoop({ url: gw.url + load.path, connections: load.connections, durationS: load.closedS })
    } finally {
      await gw.stop()
    }
    if (!existsSync(file)) return undefined
    if (process.env.BENCH_KEEP_PROFILE) copyFileSync(file, process.env.BENCH_KEEP_PROFILE)
    return summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function overheadLegacy (ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const load: OverheadLoad = {
    connections: 100,
    warmupS: scaled(3, ctx.scale),
    closedS: scaled(10, ctx.scale, 2),
    openRate: Number(process.env.BENCH_OPEN_RATE ?? 1000),
    openS: scaled(6, ctx.scale, 2),
    openWarmupS: scaled(2, ctx.scale, 1),
    rounds: ctx.rounds,
    path: LEGACY_ROUTE_PATH
  }
  // The origin runs unpinned in its own process: the contender owns core 1, the generator core 0.
  const origin = await spawnChild({ kind: 'origin' }, { pinning: ctx.pinning, pin: false })
  const contenders: Contender[] = [
    directContender(origin.pid), nginxContender(ctx), bareProxyContender(ctx),
    gatewayContender(ctx, 'configured', 'gateway'), baselineGatewayContender(ctx, 'configured'), tracingGatewayContender(ctx, 'configured'),
    gatewayContender(ctx, 'full', 'gateway-full')
  ].filter((c): c is Contender => c !== undefined)
  const figures: Array<{ name: string, figures: ContenderFigures }> = []
  let profile: ProfileSummary | undefined
  try {
    // Default: every contender up at once (idle ones sleep), rounds taken in turn, so the drift of
    // a shared machine's load is spread over all of them. BENCH_INTERLEAVE=0: one after the other.
    if (process.env.BENCH_INTERLEAVE !== '0') {
      const running: Array<MeasureTarget & { stop: () => Promise<void> }> = []
      try {
        for (const c of contenders) {
          const r = await c.start(origin.url)
          running.push({ name: c.name, url: r.url, pid: r.pid, stop: r.stop })
        }
        ctx.log(`  interleaved rounds: ${running.map(r => r.name).join(', ')}`)
        figures.push(...await measureInterleaved(running, load, ctx.log))
      } finally {
        for (const r of running) await r.stop()
      }
    } else {
      for (const c of contenders) {
        ctx.log(`  ${c.name}`)
        const running = await c.start(origin.url)
        try {
          figures.push({ name: c.name, figures: await measureOverhead({ name: c.name, url: running.url, pid: running.pid }, load, ctx.log) })
        } finally {
          await running.stop()
        }
      }
    }
    const bare = figures.find(f => f.name === 'http-proxy')?.figures.closed.median.rps
    const gw = figures.find(f => f.name === 'gateway')?.figures.closed.median.rps
    const trails = bare !== undefined && gw !== undefined && gw < 0.85 * bare
    if (ctx.profile === 'always' || (ctx.profile === 'auto' && trails)) {
      ctx.log(`  profiling the gateway (V8 CPU profiler over one measured closed-loop round)${trails ? ': it trails bare http-proxy by more than 15%' : ''}`)
      profile = await profileGateway(ctx, origin.url, load)
    }
  } finally {
    await origin.stop()
  }
  const table = overheadTable(figures)
  const files = [writeResult(ctx.resultsDir, resultFile(NAME, { load, contenders: figures, profile }, metaOf(ctx)))]
  if (profile) {
    const lines = ['# Gateway CPU profile (overhead-legacy, closed loop)', '', `samples: ${profile.samples}`, '', '## Areas (self time)', '',
      ...profile.areas.map(h => `- ${h.share}% ${h.key}`), '', '## Functions (self time)', '', ...profile.self.map(h => `- ${h.share}% ${h.key}`),
      '', '## Functions (inclusive)', '', ...profile.inclusive.map(h => `- ${h.share}% ${h.key}`), '']
    files.push(writeText(ctx.resultsDir, `${NAME}-profile.md`, lines.join('\n')))
  }
  return { scenario: NAME, table, files }
}
