// Scenario 4: legacy answering 503 when overloaded. How many requests reach legacy per client
// request: bare @fastify/http-proxy (reply-from defaults: a GET answered 503 is retried up to
// 10 times) against the gateway (shield: cap + queue, and with its retry budget on).
import { spawnChild } from '../lib/child.js'
import type { Contender } from '../lib/contenders.js'
import { bareProxyContender, directContender, gatewayContender } from '../lib/contenders.js'
import type { ScenarioContext, ScenarioOutcome } from '../lib/context.js'
import { LEGACY_ROUTE_PATH } from '../lib/gateway-config.js'
import { openLoop } from '../lib/open-loop.js'
import { parseStubStats } from '../lib/poller.js'
import { metaOf, resultFile, writeResult } from '../lib/results.js'
import { scaled } from '../lib/scale.js'
import { markdownTable } from '../lib/table.js'

export const NAME = 'retry-amplification'
/** Small queue so legacy refuses (503, every 4th a 500) well before its latency explodes. */
export const STUB = { maxConcurrency: 8, latencyMs: 20, queueLimit: 16 }
const RATE = 800
const TIMEOUT_MS = 2000

export interface AmplificationRun {
  name: string
  clientRequests: number
  legacyReceived: number
  /** legacy requests per client request. */
  amplification: number
  client: { ok: number, shed: number, failed: number, timeouts: number }
  legacy: { served: number, errors: number, refused: number }
}

async function stubStats (url: string): Promise<ReturnType<typeof parseStubStats>> {
  const res = await fetch(`${url}/__stats`)
  return parseStubStats(await res.text())
}

export async function retryAmplification (ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const durationS = scaled(10, ctx.scale, 2)
  const contenders: Contender[] = [
    directContender(), bareProxyContender(ctx),
    gatewayContender(ctx, 'shield', 'gateway'), gatewayContender(ctx, 'shield-retries', 'gateway+retries')
  ]
  const runs: AmplificationRun[] = []
  for (const c of contenders) {
    ctx.log(`  ${c.name}`)
    const stub = await spawnChild({ kind: 'legacy-stub', ...STUB }, { pinning: ctx.pinning, pin: false })
    const proxy = await c.start(stub.url)
    try {
      const run = await openLoop({ url: proxy.url, path: LEGACY_ROUTE_PATH, phases: [{ rate: RATE, durationS }], timeoutMs: TIMEOUT_MS, connections: 2048 })
      // Let retries still in flight land before reading the counters.
      await new Promise(resolve => setTimeout(resolve, 1500))
      const s = await stubStats(stub.url)
      const count = (pred: (st: number) => boolean): number => run.records.filter(r => !r.timedOut && pred(r.status)).length
      const r: AmplificationRun = {
        name: c.name,
        clientRequests: run.records.length,
        legacyReceived: s.received,
        amplification: Math.round((s.received / Math.max(1, run.records.length)) * 100) / 100,
        client: {
          ok: count(st => st >= 200 && st < 300),
          shed: count(st => st === 429 || st === 503),
          failed: count(st => st !== 0 && st >= 400 && st !== 429 && st !== 503),
          timeouts: run.records.filter(x => x.timedOut || x.status === 0).length
        },
        legacy: { served: s.served, errors: s.errors, refused: s.refused }
      }
      ctx.log(`    ${r.clientRequests} client requests → ${r.legacyReceived} at legacy (×${r.amplification}); client ok ${r.client.ok}, shed ${r.client.shed}, failed ${r.client.failed}, timeouts ${r.client.timeouts}`)
      runs.push(r)
    } finally {
      await proxy.stop()
      await stub.stop()
    }
  }
  const table = markdownTable(
    ['contender', 'client requests', 'reached legacy', 'legacy per client req', 'client 2xx', 'client 429/503', 'client other errors', 'client timeouts', 'legacy refused'],
    runs.map(r => [r.name, r.clientRequests, r.legacyReceived, r.amplification, r.client.ok, r.client.shed, r.client.failed, r.client.timeouts, r.legacy.refused])
  )
  const files = [writeResult(ctx.resultsDir, resultFile(NAME, { stub: STUB, rate: RATE, durationS, timeoutMs: TIMEOUT_MS, runs }, metaOf(ctx)))]
  return { scenario: NAME, table, files }
}
