// `node dist/bench/profile.js`: CPU cost per request of bare @fastify/http-proxy and of the
// gateway (profile `configured`, or BENCH_PROFILE_GATEWAY), each pinned and profiled over the
// same closed-loop round after a warm-up; prints µs/request by area and by function and the
// difference, and writes bench/results/overhead-legacy-profile-diff.md. BENCH_PROFILE_ROUNDS
// (default 1) repeats the pair, alternating contenders, and reports per-key medians: on a
// loaded machine one round's figures move by 20% or more.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnChild } from './lib/child.js'
import { closedLoop } from './lib/closed-loop.js'
import { bareProxyContender, gatewayContender } from './lib/contenders.js'
import type { Contender } from './lib/contenders.js'
import type { ScenarioContext } from './lib/context.js'
import type { CpuProfile } from './lib/cpu-profile.js'
import type { GatewayProfile } from './lib/gateway-config.js'
import { LEGACY_ROUTE_PATH } from './lib/gateway-config.js'
import { detectPinning, pinSelf } from './lib/pinning.js'
import { costDelta, costPerRequest, medianCost } from './lib/profile-diff.js'
import type { CostTable } from './lib/profile-diff.js'
import { repoRoot } from './lib/repo-root.js'
import { writeText } from './lib/results.js'
import { benchScale, scaled } from './lib/scale.js'

async function profiled (c: Contender, origin: string, dir: string, durationS: number): Promise<CostTable & { rps: number }> {
  const file = join(dir, `${c.name}.cpuprofile`)
  const running = await c.start(origin, { cpuProfileFile: file })
  let requests = 0
  let rps = 0
  try {
    await closedLoop({ url: running.url + LEGACY_ROUTE_PATH, connections: 100, durationS: Math.max(2, durationS / 2) })
    running.startProfile?.()
    const r = await closedLoop({ url: running.url + LEGACY_ROUTE_PATH, connections: 100, durationS })
    requests = r.total
    rps = r.rps
  } finally {
    await running.stop()
  }
  return { ...costPerRequest(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, requests), rps }
}

async function main (): Promise<void> {
  const pinning = detectPinning()
  pinSelf(pinning)
  const ctx = { pinning } as ScenarioContext
  const durationS = scaled(8, benchScale(), 2)
  const profile = (process.env.BENCH_PROFILE_GATEWAY ?? 'configured') as GatewayProfile
  const dir = mkdtempSync(join(tmpdir(), 'bench-profdiff-'))
  const origin = await spawnChild({ kind: 'origin' }, { pinning, pin: false })
  try {
    const rounds = Math.max(1, Number(process.env.BENCH_PROFILE_ROUNDS ?? 1) || 1)
    const bareRounds: Array<CostTable & { rps: number }> = []
    const gwRounds: Array<CostTable & { rps: number }> = []
    for (let r = 0; r < rounds; r++) {
      bareRounds.push(await profiled(bareProxyContender(ctx), origin.url, dir, durationS))
      gwRounds.push(await profiled(gatewayContender(ctx, profile, 'gateway'), origin.url, dir, durationS))
      process.stderr.write(`round ${r + 1}/${rounds}: http-proxy ${Math.round(bareRounds[r]!.totalUs)} µs, gateway ${Math.round(gwRounds[r]!.totalUs)} µs CPU/request\n`)
    }
    const medianRps = (rs: Array<{ rps: number }>): number => medianCost(rs.map(x => ({ totalUs: x.rps, areas: new Map(), functions: new Map() }))).totalUs
    const bare = { ...medianCost(bareRounds), rps: medianRps(bareRounds) }
    const gw = { ...medianCost(gwRounds), rps: medianRps(gwRounds) }
    const perRound = rounds > 1
      ? [`- rounds: ${rounds} (medians per key); per round http-proxy ${bareRounds.map(x => Math.round(x.totalUs)).join(' / ')} µs, gateway ${gwRounds.map(x => Math.round(x.totalUs)).join(' / ')} µs`]
      : []
    const fmt = (rows: ReturnType<typeof costDelta>): string[] => rows.map(r => `| ${r.key} | ${r.baseUs} | ${r.otherUs} | ${r.deltaUs} | ${r.shareOfOther}% |`)
    const lines = [
      `# CPU per request: gateway (${profile}) vs bare @fastify/http-proxy`, '',
      `closed loop, 100 connections, ${durationS} s profiled after a warm-up; busy CPU µs per request (idle excluded); load average ${loadavg().map(l => l.toFixed(1)).join(' ')} at the end`, '',
      `- http-proxy: ${bare.rps} req/s, ${Math.round(bare.totalUs)} µs CPU/request`,
      `- gateway: ${gw.rps} req/s, ${Math.round(gw.totalUs)} µs CPU/request (${Math.round(gw.totalUs - bare.totalUs)} µs more)`, ...perRound, '',
      '## By area', '', '| area | http-proxy µs | gateway µs | Δ µs | share of gateway CPU |', '|---|---|---|---|---|',
      ...fmt(costDelta(bare.areas, gw.areas, gw.totalUs, 20)), '',
      '## By function (self time), largest increase first', '', '| function | http-proxy µs | gateway µs | Δ µs | share of gateway CPU |', '|---|---|---|---|---|',
      ...fmt(costDelta(bare.functions, gw.functions, gw.totalUs, 40)), ''
    ]
    const text = lines.join('\n')
    process.stdout.write(text)
    writeText(process.env.BENCH_RESULTS_DIR ?? join(repoRoot(), 'bench', 'results'), 'overhead-legacy-profile-diff.md', text)
  } finally {
    await origin.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

main().then(() => process.exit(0), (err: unknown) => {
  process.stderr.write(`bench profile: ${(err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
