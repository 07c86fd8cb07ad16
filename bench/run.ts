// `npm run bench [-- <scenario>…]`: runs the benchmark scenarios (all by default), writes
// bench/results/<scenario>.json (+ SVG/profile files) and prints a table per scenario.
// Env: BENCH_SCALE (durations ×, e.g. 0.2), BENCH_ROUNDS (measured rounds, default 3),
// BENCH_PROFILE (auto | 1 | 0), BENCH_NO_PIN=1, BENCH_RESULTS_DIR, BENCH_OPEN_RATE (req/s),
// BENCH_REDIS_URL (distributed-state; default 127.0.0.1:6379, else a private redis-server).
import { join } from 'node:path'
import { repoRoot } from './lib/repo-root.js'
import type { Scenario, ScenarioContext, ScenarioOutcome } from './lib/context.js'
import { ensureNginx } from './lib/nginx.js'
import { detectPinning, pinSelf } from './lib/pinning.js'
import { machineInfo } from './lib/machine.js'
import { benchRounds, benchScale } from './lib/scale.js'
import { overheadLegacy } from './scenarios/overhead-legacy.js'
import { overheadLambda } from './scenarios/overhead-lambda.js'
import { burstShield } from './scenarios/burst-shield.js'
import { retryAmplification } from './scenarios/retry-amplification.js'
import { breakerCycle } from './scenarios/breaker-cycle.js'
import { distributedState } from './scenarios/distributed.js'

export const SCENARIOS: Record<string, Scenario> = {
  'overhead-legacy': overheadLegacy,
  'overhead-lambda': overheadLambda,
  'burst-shield': burstShield,
  'retry-amplification': retryAmplification,
  'breaker-cycle': breakerCycle,
  'distributed-state': distributedState
}

function profileMode (raw: string | undefined): ScenarioContext['profile'] {
  if (raw === '1' || raw === 'always') return 'always'
  if (raw === '0' || raw === 'never') return 'never'
  return 'auto'
}

async function main (): Promise<void> {
  const names = process.argv.slice(2).filter(a => !a.startsWith('-'))
  const unknown = names.filter(n => !(n in SCENARIOS))
  if (unknown.length > 0) {
    process.stderr.write(`unknown scenario(s): ${unknown.join(', ')}; known: ${Object.keys(SCENARIOS).join(', ')}\n`)
    process.exit(2)
  }
  const selected = names.length > 0 ? names : Object.keys(SCENARIOS)
  const log = (msg: string): void => { process.stdout.write(msg + '\n') }
  const pinning = detectPinning()
  pinSelf(pinning)
  const ctx: ScenarioContext = {
    scale: benchScale(),
    rounds: benchRounds(),
    pinning,
    resultsDir: process.env.BENCH_RESULTS_DIR ?? join(repoRoot(), 'bench', 'results'),
    nginx: selected.some(s => s === 'overhead-legacy' || s === 'burst-shield') ? ensureNginx(log) : undefined,
    profile: profileMode(process.env.BENCH_PROFILE),
    log
  }
  const m = machineInfo()
  log(`bench: ${selected.join(', ')} | scale ${ctx.scale}, ${ctx.rounds} rounds | ${m.cpus} × ${m.model}, ${m.memoryGiB} GiB, Node ${m.node}, load ${m.loadAvg1} | pinning: ${pinning.description}`)
  const outcomes: ScenarioOutcome[] = []
  let failed = false
  for (const name of selected) {
    const started = Date.now()
    log(`\n== ${name}`)
    try {
      outcomes.push(await (SCENARIOS[name] as Scenario)(ctx))
      log(`   done in ${Math.round((Date.now() - started) / 1000)} s`)
    } catch (err) {
      failed = true
      process.stderr.write(`${name} failed: ${(err as Error).stack ?? String(err)}\n`)
    }
  }
  for (const o of outcomes) log(`\n### ${o.scenario}\n\n${o.table}\n\nfiles: ${o.files.join(', ')}`)
  process.exit(failed ? 1 : 0)
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
