// Pure: how long after the burst the goodput came back to a share of the offered load.

export interface SecondSample {
  /** Seconds since the start of the run (bucket start). */
  t: number
  offered: number
  goodput: number
}

/**
 * Seconds from `burstEndS` until the first second at or after it whose goodput is at least
 * `share` of its offered load and stays so for `holdS` consecutive seconds. `null` when it never
 * recovers within the samples. 0 means the first second after the burst was already fine.
 */
export function recoveryTimeS (samples: readonly SecondSample[], burstEndS: number, share = 0.95, holdS = 3): number | null {
  const after = samples.filter(s => s.t >= burstEndS).sort((a, b) => a.t - b.t)
  const ok = (s: SecondSample): boolean => s.offered > 0 && s.goodput >= share * s.offered
  for (let i = 0; i < after.length; i++) {
    const window = after.slice(i, i + holdS)
    if (window.length === 0) break
    // At the tail there may be fewer than holdS seconds left: they must all be fine.
    if (window.every(ok)) return (after[i] as SecondSample).t - burstEndS
  }
  return null
}
