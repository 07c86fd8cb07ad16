// Scenario 5: legacy fails every request for 20 s, then recovers, under a steady 100 req/s
// through the gateway (shield profile: breaker 50% of ≥ 20 calls in 10 s, reset 5 s). From the
// gateway's breaker gauge and legacy's counters, polled every 100 ms: time to open, requests
// that still reached legacy while open (the half-open probes), and time to close.
import { spawnChild } from '../lib/child.js'
import { breakerFigures } from '../lib/breaker-timeline.js'
import type { TimelineSample } from '../lib/breaker-timeline.js'
import { gatewayContender } from '../lib/contenders.js'
import type { ScenarioContext, ScenarioOutcome } from '../lib/context.js'
import { LEGACY_ROUTE_PATH } from '../lib/gateway-config.js'
import { openLoop } from '../lib/open-loop.js'
import { perSecond } from '../lib/per-second.js'
import { parseStubStats, poll, promValue } from '../lib/poller.js'
import { metaOf, resultFile, writeResult, writeText } from '../lib/results.js'
import { scaled } from '../lib/scale.js'
import { linePlot } from '../lib/svg-plot.js'
import { markdownTable } from '../lib/table.js'

export const NAME = 'breaker-cycle'
const STUB = { maxConcurrency: 8, latencyMs: 20, queueLimit: 64 }
const RATE = 100

async function setFaults (stubUrl: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${stubUrl}/__faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  await res.arrayBuffer()
}

/** Pairs each breaker sample with the nearest legacy sample at or before it. */
function joinSamples (breaker: Array<{ tMs: number, value: number }>, legacy: Array<{ tMs: number, value: { received: number } }>): TimelineSample[] {
  let j = 0
  return breaker.map(b => {
    while (j + 1 < legacy.length && (legacy[j + 1] as { tMs: number }).tMs <= b.tMs) j++
    return { tMs: b.tMs, state: b.value, legacyReceived: legacy[j]?.value.received ?? 0 }
  })
}

export async function breakerCycle (ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const beforeS = scaled(5, ctx.scale, 2)
  const failS = scaled(20, ctx.scale, 4)
  const afterS = scaled(15, ctx.scale, 8)
  const stub = await spawnChild({ kind: 'legacy-stub', ...STUB }, { pinning: ctx.pinning, pin: false })
  const gw = await gatewayContender(ctx, 'shield', 'gateway').start(stub.url)
  try {
    const adminUrl = gw.adminUrl ?? ''
    const t0 = performance.now()
    const breakerPoll = poll(`${adminUrl}/metrics`, 100, text => promValue(text, 'gateway_breaker_state', { breaker: 'legacy' }), t0)
    const legacyPoll = poll(`${stub.url}/__stats`, 100, parseStubStats, t0)
    const faultStartMs = beforeS * 1000
    const faultEndMs = (beforeS + failS) * 1000
    const timers = [
      setTimeout(() => { setFaults(stub.url, { errorRate: 1 }).catch(() => {}) }, faultStartMs),
      setTimeout(() => { setFaults(stub.url, { errorRate: 0 }).catch(() => {}) }, faultEndMs)
    ]
    const run = await openLoop({ url: gw.url, path: LEGACY_ROUTE_PATH, phases: [{ rate: RATE, durationS: beforeS + failS + afterS }], timeoutMs: 2000 })
    timers.forEach(clearTimeout)
    await breakerPoll.stop()
    await legacyPoll.stop()
    const samples = joinSamples(breakerPoll.samples, legacyPoll.samples)
    const figures = breakerFigures(samples, faultStartMs, faultEndMs)
    const seconds = perSecond(run.records, 2000)
    const resetTimeoutMs = 5000
    ctx.log(`    open after ${figures.timeToOpenMs ?? 'never'} ms, ${figures.legacyWhileOpen} requests reached legacy while open, ${figures.openPeriods} open periods, closed ${figures.timeToCloseMs ?? 'never'} ms after recovery`)
    const statuses = new Map<number, number>()
    for (const r of run.records) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1)
    const table = markdownTable(
      ['failing for', 'time to open', 'reached legacy while open', 'open periods (probes)', 'half-open seen', 'time to close after recovery', 'client answers by status'],
      [[`${failS} s`, figures.timeToOpenMs === null ? 'never' : `${figures.timeToOpenMs} ms`, figures.legacyWhileOpen, figures.openPeriods, figures.halfOpenSeen,
        figures.timeToCloseMs === null ? 'never' : `${figures.timeToCloseMs} ms`, [...statuses.entries()].sort((a, b) => a[0] - b[0]).map(([k, v]) => `${k === 0 ? 'timeout' : k}: ${v}`).join(', ')]]
    )
    const svg = linePlot({
      title: 'Breaker cycle: legacy failing, then recovered (100 req/s through the gateway)',
      xLabel: 'seconds',
      yLabel: 'requests per second / breaker state × 50',
      bands: [{ from: beforeS, to: beforeS + failS, label: 'legacy failing' }],
      series: [
        { name: 'client 2xx', points: seconds.map(s => [s.t, s.goodput] as const) },
        { name: 'client 503 (shed)', points: seconds.map(s => [s.t, s.shed] as const) },
        { name: 'client other errors', points: seconds.map(s => [s.t, s.failed] as const) },
        { name: 'breaker state × 50', dashed: true, points: samples.map(x => [x.tMs / 1000, x.state * 50] as const) }
      ]
    })
    const files = [
      writeResult(ctx.resultsDir, resultFile(NAME, { stub: STUB, rate: RATE, beforeS, failS, afterS, resetTimeoutMs, figures, statuses: Object.fromEntries(statuses), seconds, samples }, metaOf(ctx))),
      writeText(ctx.resultsDir, `${NAME}.svg`, svg)
    ]
    return { scenario: NAME, table, files }
  } finally {
    await gw.stop()
    await stub.stop()
  }
}
