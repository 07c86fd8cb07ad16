// How long and from where the property fuzzers run (fast-check). Deterministic by default:
// a fixed seed and a bounded number of cases per property, so `npm test` in CI sees the same
// cases every time. FUZZ_SEED picks another seed (printed, so a failure can be replayed with
// it); FUZZ_SECONDS turns each file into a time-boxed run (`npm run fuzz`): the seconds are
// shared by the file's properties and each runs cases until its share is spent.
import fc from 'fast-check'
import type { Test } from 'tap'

const DEFAULT_SEED = 140_014
/** Cases per property when FUZZ_SECONDS is unset; a hard time cap keeps slow machines bounded. */
const DEFAULT_RUNS = 2_000
const DEFAULT_CAP_MS = 4_000

export const fuzzSeed = (): number => {
  const raw = process.env.FUZZ_SEED
  const seed = raw === undefined || raw === '' ? DEFAULT_SEED : Number(raw)
  if (!Number.isInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, found ${JSON.stringify(raw)}`)
  return seed
}

function fuzzSeconds (): number | undefined {
  const raw = process.env.FUZZ_SECONDS
  if (raw === undefined || raw === '') return undefined
  const seconds = Number(raw)
  if (!(seconds > 0)) throw new Error(`FUZZ_SECONDS must be a positive number, found ${JSON.stringify(raw)}`)
  return seconds
}

/** fast-check parameters for one of `share` properties of a file; `runs` overrides DEFAULT_RUNS. */
export function propertyParameters (share: number, runs = DEFAULT_RUNS): fc.Parameters<unknown> {
  const seconds = fuzzSeconds()
  const seed = fuzzSeed()
  if (seconds === undefined) return { seed, numRuns: runs, interruptAfterTimeLimit: DEFAULT_CAP_MS, markInterruptAsFailure: false }
  return { seed, numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: Math.max(1, Math.floor(seconds * 1000 / share)), markInterruptAsFailure: false }
}

/**
 * Runs one property as a tap assertion: passes when no counterexample was found, else fails
 * with fast-check's report (seed, path, shrunk counterexample). Prints the case count.
 */
export function checkProperty<Ts> (t: Test, name: string, property: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>, share: number, runs?: number): void {
  const details = fc.check(property as fc.IProperty<Ts>, propertyParameters(share, runs) as fc.Parameters<Ts>)
  if (details instanceof Promise) throw new Error('checkProperty: use synchronous properties')
  t.comment(`${name}: ${details.numRuns} cases, seed ${details.seed}${details.interrupted ? ' (time budget reached)' : ''}`)
  const cause = details.errorInstance instanceof Error ? ` — ${details.errorInstance.message}` : ''
  t.notOk(details.failed, details.failed ? `${fc.defaultReportMessage(details) ?? name}${cause}` : name)
}
