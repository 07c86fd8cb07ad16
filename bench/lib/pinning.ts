// CPU pinning with taskset: the load generator on core 0, the server under test on core 1, so
// they do not steal each other's cycles. Without taskset or with one core, nothing is pinned
// and the result files say so.
import { execFileSync } from 'node:child_process'
import { cpus } from 'node:os'

export interface Pinning {
  enabled: boolean
  /** Human-readable, stored in every result file. */
  description: string
  /** Cores for the generator and for the contender. */
  generatorCore: number
  contenderCore: number
}

function hasTaskset (): boolean {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

export function detectPinning (env: NodeJS.ProcessEnv = process.env): Pinning {
  const n = cpus().length
  if (env.BENCH_NO_PIN === '1') return { enabled: false, description: 'off (BENCH_NO_PIN=1)', generatorCore: 0, contenderCore: 0 }
  if (n < 2) return { enabled: false, description: 'off (one core)', generatorCore: 0, contenderCore: 0 }
  if (!hasTaskset()) return { enabled: false, description: 'off (taskset not found; apt-get install util-linux)', generatorCore: 0, contenderCore: 0 }
  return { enabled: true, description: `generator on core 0, contender on core 1 (taskset, ${n} cores)`, generatorCore: 0, contenderCore: 1 }
}

/** Pins every thread of this process (the generator) to the generator core. */
export function pinSelf (p: Pinning): void {
  if (!p.enabled) return
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(p.generatorCore), String(process.pid)], { stdio: 'ignore' })
  } catch (err) {
    process.stderr.write(`bench: could not pin the generator: ${(err as Error).message}\n`)
  }
}

/** [command, args] to run `cmd args` pinned to the contender core (or as is). */
export function pinned (p: Pinning, cmd: string, args: readonly string[], pin = true): [string, string[]] {
  if (!p.enabled || !pin) return [cmd, [...args]]
  return ['taskset', ['-c', String(p.contenderCore), cmd, ...args]]
}
