// BENCH_SCALE multiplies every duration (0.2 = a quick run); rounds and rates stay the same
// so a scaled run measures the same thing, with less precision.

export function benchScale (env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.BENCH_SCALE
  if (raw === undefined || raw === '') return 1
  const n = Number(raw)
  if (!Number.isFinite(n) || n <= 0 || n > 10) throw new Error(`BENCH_SCALE must be a number in (0, 10], found "${raw}"`)
  return n
}

/** seconds × scale, at least `min` seconds. */
export function scaled (seconds: number, scale: number, min = 1): number {
  return Math.max(min, Math.round(seconds * scale * 10) / 10)
}

/** Measured rounds: BENCH_ROUNDS, default 3 (the minimum). */
export function benchRounds (env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.BENCH_ROUNDS ?? 3)
  return Number.isInteger(n) && n >= 1 ? n : 3
}
