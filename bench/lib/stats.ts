// Pure figures: percentiles of a latency sample, medians across rounds, ratios against direct.
// Percentiles use the nearest-rank method on a sorted copy, so p99.9 of 1000 samples is the
// 999th value — the same definition HdrHistogram and autocannon report.

/** Nearest-rank percentile (p in 0..100) of an unsorted sample; NaN for an empty one. */
export function percentile (values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return percentileOfSorted(sorted, p)
}

export function percentileOfSorted (sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const clamped = Math.min(100, Math.max(0, p))
  // Round away float noise first: 99.9 / 100 * 1000 is 999.0000000000001, whose ceil is 1000.
  const rank = Math.max(1, Math.ceil(Math.round((clamped / 100) * sorted.length * 1e6) / 1e6))
  return sorted[rank - 1] as number
}

/** Median; the mean of the two middle values for an even count; NaN when empty. */
export function median (values: readonly number[]): number {
  const finite = values.filter(v => Number.isFinite(v))
  if (finite.length === 0) return Number.NaN
  const sorted = [...finite].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  if (sorted.length % 2 === 1) return sorted[mid] as number
  return ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

export interface LatencySummary {
  /** ms */
  p50: number
  p99: number
  p999: number
  max: number
  count: number
}

export function summarizeLatencies (values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b)
  return {
    p50: percentileOfSorted(sorted, 50),
    p99: percentileOfSorted(sorted, 99),
    p999: percentileOfSorted(sorted, 99.9),
    max: sorted.length > 0 ? sorted[sorted.length - 1] as number : Number.NaN,
    count: sorted.length
  }
}

/** One measured round of a contender under one load. */
export interface RoundFigures {
  rps: number
  p50: number
  p99: number
  p999: number
  /** Non-2xx answers and transport errors in the round. */
  errors: number
}

/** Medians of each figure across rounds (each figure on its own, as the issue asks). */
export function medianRound (rounds: readonly RoundFigures[]): RoundFigures {
  return {
    rps: median(rounds.map(r => r.rps)),
    p50: median(rounds.map(r => r.p50)),
    p99: median(rounds.map(r => r.p99)),
    p999: median(rounds.map(r => r.p999)),
    errors: median(rounds.map(r => r.errors))
  }
}

/** value / base, rounded to 3 decimals; NaN when the base is 0 or missing. */
export function ratio (value: number, base: number | undefined): number {
  if (base === undefined || !Number.isFinite(base) || base === 0 || !Number.isFinite(value)) return Number.NaN
  return Math.round((value / base) * 1000) / 1000
}
