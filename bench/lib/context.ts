// What every scenario receives from bench/run.ts, and what it hands back.
import type { Pinning } from './pinning.js'

export interface ScenarioContext {
  scale: number
  rounds: number
  pinning: Pinning
  resultsDir: string
  /** nginx binary, or undefined when it is not available (the contender is skipped). */
  nginx: string | undefined
  /** Profile the gateway with --cpu-prof when it trails bare http-proxy (BENCH_PROFILE=0 disables, 1 forces). */
  profile: 'auto' | 'always' | 'never'
  log: (msg: string) => void
}

export interface ScenarioOutcome {
  scenario: string
  /** Markdown table(s) for the console and the README. */
  table: string
  /** Files written (JSON, SVG, profile summary). */
  files: string[]
}

export type Scenario = (ctx: ScenarioContext) => Promise<ScenarioOutcome>
