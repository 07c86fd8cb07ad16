// Pure: breaker figures from polled samples of the gateway's breaker gauge (0 closed,
// 1 half-open, 2 open) and legacy's `received` counter, relative to when the fault started
// and ended. Polling sees states that last at least one period; a half-open state that lasts
// one probe (~20 ms) is seen through the requests legacy received while the breaker was open.

export interface TimelineSample { tMs: number, state: number, legacyReceived: number }

export interface BreakerFigures {
  /** ms from the fault start to the first sample with the breaker open; null if it never opened. */
  timeToOpenMs: number | null
  /** Requests legacy received between samples where the breaker was open at both ends. */
  legacyWhileOpen: number
  /** Open periods seen (each ends with a half-open probe). */
  openPeriods: number
  /** Half-open states seen by the poller. */
  halfOpenSeen: number
  /** ms from the fault end to the first sample from which the breaker stays closed; null if never. */
  timeToCloseMs: number | null
  /** ms the breaker was open or half-open in total (sample resolution). */
  openMs: number
}

export function breakerFigures (samples: readonly TimelineSample[], faultStartMs: number, faultEndMs: number): BreakerFigures {
  const s = [...samples].filter(x => Number.isFinite(x.state)).sort((a, b) => a.tMs - b.tMs)
  const firstOpen = s.find(x => x.tMs >= faultStartMs && x.state === 2)
  let legacyWhileOpen = 0
  let openPeriods = 0
  let halfOpenSeen = 0
  let openMs = 0
  for (let i = 1; i < s.length; i++) {
    const a = s[i - 1] as TimelineSample
    const b = s[i] as TimelineSample
    if (a.state === 2 && b.state === 2) legacyWhileOpen += Math.max(0, b.legacyReceived - a.legacyReceived)
    if (b.state === 2 && a.state !== 2) openPeriods++
    if (b.state === 1 && a.state !== 1) halfOpenSeen++
    if (a.state !== 0) openMs += b.tMs - a.tMs
  }
  if (s[0]?.state === 2) openPeriods++
  // Closed for good: the last non-closed sample after the fault end, then the next sample.
  let timeToCloseMs: number | null = null
  if (firstOpen !== undefined) {
    const lastNotClosed = [...s].reverse().find(x => x.state !== 0)
    const last = s[s.length - 1]
    if (last !== undefined && last.state === 0 && lastNotClosed !== undefined) {
      const closedAt = s.find(x => x.tMs > lastNotClosed.tMs)
      if (closedAt !== undefined) timeToCloseMs = Math.max(0, Math.round(closedAt.tMs - faultEndMs))
    }
  }
  return {
    timeToOpenMs: firstOpen === undefined ? null : Math.round(firstOpen.tMs - faultStartMs),
    legacyWhileOpen,
    openPeriods,
    halfOpenSeen,
    timeToCloseMs,
    openMs: Math.round(openMs)
  }
}
