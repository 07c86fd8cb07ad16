// Scenario 3: a legacy backend of capacity 8 workers × 20 ms (≈ 400 req/s) under 100 req/s,
// then a 10x burst (1000 req/s), then 100 req/s again; client timeout 1 s. Direct, nginx, bare
// http-proxy, the gateway (fixed cap 8) and the gateway with `maxConcurrency: auto` side by side: per second goodput (2xx within 1 s), shed answers,
// timeouts, legacy in-flight and queue, and the time to recover to 95% of the offered load;
// per phase, how much of legacy's capacity was used (served/s ÷ capacity, share of time every
// worker was busy), from the stub's own usage counters (GET /__stats/usage); and where legacy's
// idle worker time goes (legacy-handoff.ts: no demand, the gateway's hand-off, the stub's write,
// the rest between the processes) from those counters and the gateway's PermitProbe.
import { spawnChild } from '../lib/child.js'
import { baselineGatewayContender, gatewayContender, legacyContenders } from '../lib/contenders.js'
import type { Contender } from '../lib/contenders.js'
import type { ScenarioContext, ScenarioOutcome } from '../lib/context.js'
import { LEGACY_ROUTE_PATH } from '../lib/gateway-config.js'
import { idleWorkersPerSecond, parseProbe, phaseHandoff } from '../lib/legacy-handoff.js'
import type { PhaseHandoff } from '../lib/legacy-handoff.js'
import { parseUsage, phaseUsage } from '../lib/legacy-usage.js'
import type { PhaseBounds, PhaseUsage } from '../lib/legacy-usage.js'
import { openLoop } from '../lib/open-loop.js'
import type { SecondFigures } from '../lib/per-second.js'
import { perSecond } from '../lib/per-second.js'
import { parseStubStats, poll } from '../lib/poller.js'
import type { StubStats } from '../lib/poller.js'
import { recoveryTimeS } from '../lib/recovery.js'
import { metaOf, resultFile, writeResult, writeText } from '../lib/results.js'
import { scaled } from '../lib/scale.js'
import { linePlot } from '../lib/svg-plot.js'
import { markdownTable } from '../lib/table.js'

export const NAME = 'burst-shield'
export const STUB = { maxConcurrency: 8, latencyMs: 20, queueLimit: 64 }
/** What legacy can serve at its base latency: 8 × 1000 / 20 = 400 req/s. */
export const CAPACITY_PER_S = STUB.maxConcurrency * 1000 / STUB.latencyMs
const TIMEOUT_MS = 1000

export interface BurstRun {
  name: string
  seconds: Array<SecondFigures & { legacyInflightMax: number, legacyQueuedMax: number, legacyIdleWorkers: number }>
  totals: { offered: number, goodput: number, shed: number, failed: number, timeouts: number }
  burstGoodputPerS: number
  recoveryS: number | null
  sendLagP99Ms: number
  /** Legacy's utilisation before, during and after the burst. */
  legacyUsage: PhaseUsage[]
  /** Where legacy's idle worker time went, per phase (gateway shares NaN without a PermitProbe). */
  handoff: PhaseHandoff[]
  /** Requests due in the burst refused with 429 (rate limit) and 503 (queue full / timeout, legacy's own). */
  burstRefused: { rateLimited: number, unavailable: number }
}

const pct = (share: number): number => Math.round(share * 1000) / 10

/** One row per contender and phase: served/s at legacy, ÷ capacity, occupancy, all workers busy. */
export function usageTable (runs: ReadonlyArray<Pick<BurstRun, 'name' | 'legacyUsage'>>): string {
  return markdownTable(
    ['contender', 'phase', 'legacy served/s', `÷ capacity (${CAPACITY_PER_S}/s) %`, 'worker occupancy %', 'all workers busy %', 'window s'],
    runs.flatMap(r => r.legacyUsage.map(u => [r.name, u.phase, u.servedPerS, pct(u.utilisation), pct(u.occupancy), pct(u.allBusyShare), u.seconds]))
  )
}

/** One row per contender and phase: the idle gaps at the stub and the shares of the idle worker time. */
export function handoffTable (runs: ReadonlyArray<Pick<BurstRun, 'name' | 'handoff'>>): string {
  return markdownTable(
    ['contender', 'phase', 'idle workers', 'idle gaps p50 / p99 ms', 'gap mean ms', 'no demand %', 'gateway hand-off %', 'stub write %', 'between processes %', 'grants at once / handed over', 'releases, nobody waiting', 'wake µs', 'loop delay stub / gateway ms'],
    runs.flatMap(r => r.handoff.map(h => [r.name, h.phase, h.idleWorkers, `${h.gaps.p50Ms} / ${h.gaps.p99Ms}`, h.gaps.meanMs, pct(h.shares.noDemand), pct(h.shares.gateway), pct(h.shares.stubWrite),
      pct(h.shares.between), `${h.grants.atOnce} / ${h.grants.handedOver}`, h.releasesNoWaiter, Math.round(h.wakeMeanMs * 1000), `${h.loopDelayMs.stub} / ${h.loopDelayMs.gateway}`]))
  )
}

function legacyPerSecond (samples: Array<{ tMs: number, value: StubStats }>, seconds: number): Array<{ inflight: number, queued: number }> {
  const out = Array.from({ length: seconds }, () => ({ inflight: 0, queued: 0 }))
  for (const s of samples) {
    const b = out[Math.floor(s.tMs / 1000)]
    if (!b) continue
    b.inflight = Math.max(b.inflight, s.value.inflight)
    b.queued = Math.max(b.queued, s.value.queued)
  }
  return out
}

export async function burstShield (ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const phases = [
    { rate: 100, durationS: scaled(10, ctx.scale, 2) },
    { rate: 1000, durationS: scaled(15, ctx.scale, 2) },
    { rate: 100, durationS: scaled(30, ctx.scale, 4) }
  ]
  const burstStart = phases[0]!.durationS
  const burstEnd = burstStart + phases[1]!.durationS
  const totalS = Math.ceil(phases.reduce((s, p) => s + p.durationS, 0))
  const bounds: PhaseBounds[] = [
    { name: 'before', fromMs: 0, toMs: burstStart * 1000 },
    { name: 'burst', fromMs: burstStart * 1000, toMs: burstEnd * 1000 },
    { name: 'after', fromMs: burstEnd * 1000, toMs: totalS * 1000 }
  ]
  const runs: BurstRun[] = []
  // The fixed cap (8, legacy's worker count) against `maxConcurrency: auto` in the same run, and
  // with BENCH_BASELINE_DIST the build before as gateway@baseline (fixed cap).
  const contenders = [...legacyContenders(ctx, 'shield'), gatewayContender(ctx, 'shield-auto', 'gateway-auto'), baselineGatewayContender(ctx, 'shield')]
    .filter((c): c is Contender => c !== undefined)
  for (const c of contenders) {
    ctx.log(`  ${c.name}`)
    // A fresh legacy per contender: no queue or breaker state carried over.
    const stub = await spawnChild({ kind: 'legacy-stub', ...STUB }, { pinning: ctx.pinning, pin: false })
    const proxy = await c.start(stub.url, { permitProbe: { workers: STUB.maxConcurrency } })
    try {
      const t0 = performance.now()
      const poller = poll(`${stub.url}/__stats`, 200, parseStubStats, t0)
      const usagePoller = poll(`${stub.url}/__stats/usage`, 200, parseUsage, t0)
      const probePoller = proxy.probeUrl === undefined ? undefined : poll(proxy.probeUrl, 200, parseProbe, t0)
      const run = await openLoop({ url: proxy.url, path: LEGACY_ROUTE_PATH, phases, timeoutMs: TIMEOUT_MS, connections: 2048 })
      await poller.stop()
      await usagePoller.stop()
      await probePoller?.stop()
      const inBurst = run.records.filter(x => x.dueMs >= burstStart * 1000 && x.dueMs < burstEnd * 1000)
      const legacy = legacyPerSecond(poller.samples, totalS)
      const idle = idleWorkersPerSecond(usagePoller.samples, totalS)
      const seconds = perSecond(run.records, TIMEOUT_MS, totalS).map((s, i) => ({
        ...s, legacyInflightMax: legacy[i]?.inflight ?? 0, legacyQueuedMax: legacy[i]?.queued ?? 0, legacyIdleWorkers: idle[i] ?? Number.NaN
      }))
      const sum = (k: keyof SecondFigures): number => seconds.reduce((a, s) => a + s[k], 0)
      const burst = seconds.filter(s => s.t >= burstStart && s.t < burstEnd)
      const r: BurstRun = {
        name: c.name,
        seconds,
        totals: { offered: sum('offered'), goodput: sum('goodput'), shed: sum('shed'), failed: sum('failed'), timeouts: sum('timeouts') },
        burstGoodputPerS: Math.round(burst.reduce((a, s) => a + s.goodput, 0) / Math.max(1, burst.length)),
        recoveryS: recoveryTimeS(seconds, Math.ceil(burstEnd)),
        sendLagP99Ms: run.sendLagP99Ms,
        legacyUsage: phaseUsage(usagePoller.samples, bounds, CAPACITY_PER_S),
        handoff: phaseHandoff(usagePoller.samples, probePoller?.samples ?? [], bounds),
        burstRefused: { rateLimited: inBurst.filter(x => x.status === 429).length, unavailable: inBurst.filter(x => x.status === 503).length }
      }
      const burstUse = r.legacyUsage.find(u => u.phase === 'burst')
      ctx.log(`    goodput ${r.totals.goodput}/${r.totals.offered}, during burst ${r.burstGoodputPerS}/s, shed ${r.totals.shed}, timeouts ${r.totals.timeouts}, recovery ${r.recoveryS === null ? 'never' : `${r.recoveryS} s`}, generator lag p99 ${r.sendLagP99Ms} ms`)
      ctx.log(`    legacy during the burst: ${burstUse?.servedPerS ?? '?'} served/s = ${pct(burstUse?.utilisation ?? Number.NaN)}% of capacity, all workers busy ${pct(burstUse?.allBusyShare ?? Number.NaN)}% of the time`)
      const h = r.handoff.find(x => x.phase === 'burst')
      if (h) ctx.log(`    idle workers ${h.idleWorkers}: no demand ${pct(h.shares.noDemand)}%, gateway ${pct(h.shares.gateway)}%, stub write ${pct(h.shares.stubWrite)}%, between ${pct(h.shares.between)}%; gaps p50 ${h.gaps.p50Ms} p99 ${h.gaps.p99Ms} ms; loop delay stub ${h.loopDelayMs.stub} gateway ${h.loopDelayMs.gateway} ms; 429 ${r.burstRefused.rateLimited}, 503 ${r.burstRefused.unavailable}`)
      runs.push(r)
    } finally {
      await proxy.stop()
      await stub.stop()
    }
  }
  const svg = linePlot({
    title: `Goodput (2xx within 1 s) — legacy ${STUB.maxConcurrency} × ${STUB.latencyMs} ms, 100 → 1000 → 100 req/s`,
    xLabel: 'seconds',
    yLabel: 'goodput (req/s)',
    bands: [{ from: burstStart, to: burstEnd, label: '10x burst' }],
    series: [
      { name: 'offered', dashed: true, points: (runs[0]?.seconds ?? []).map(s => [s.t, s.offered] as const) },
      ...runs.map(r => ({ name: r.name, points: r.seconds.map(s => [s.t, s.goodput] as const) }))
    ]
  })
  const svgInflight = linePlot({
    title: 'Legacy queue (max per second, from /__stats)',
    xLabel: 'seconds',
    yLabel: 'requests queued at legacy',
    bands: [{ from: burstStart, to: burstEnd, label: '10x burst' }],
    series: runs.map(r => ({ name: r.name, points: r.seconds.map(s => [s.t, s.legacyQueuedMax] as const) }))
  })
  const table = markdownTable(
    ['contender', 'offered', 'goodput', 'goodput %', 'burst goodput/s', 'shed (429/503)', 'rate-limited / 503 in burst', 'other errors', 'timeouts', 'max legacy queue', 'recovery s', 'generator lag p99 ms'],
    runs.map(r => [r.name, r.totals.offered, r.totals.goodput, Math.round((r.totals.goodput / Math.max(1, r.totals.offered)) * 1000) / 10, r.burstGoodputPerS,
      r.totals.shed, `${r.burstRefused.rateLimited} / ${r.burstRefused.unavailable}`, r.totals.failed, r.totals.timeouts, Math.max(0, ...r.seconds.map(s => s.legacyQueuedMax)), r.recoveryS === null ? 'never' : r.recoveryS, r.sendLagP99Ms])
  ) + '\n\nLegacy utilisation per phase (stub counters):\n\n' + usageTable(runs) +
    '\n\nWhere legacy\'s idle worker time goes (stub counters + gateway PermitProbe; shares of the idle workers):\n\n' + handoffTable(runs)
  const files = [
    writeResult(ctx.resultsDir, resultFile(NAME, { stub: STUB, capacityPerS: CAPACITY_PER_S, phases, timeoutMs: TIMEOUT_MS, burstStartS: burstStart, burstEndS: burstEnd, runs }, metaOf(ctx))),
    writeText(ctx.resultsDir, `${NAME}.svg`, svg),
    writeText(ctx.resultsDir, `${NAME}-legacy-queue.svg`, svgInflight)
  ]
  return { scenario: NAME, table, files }
}
