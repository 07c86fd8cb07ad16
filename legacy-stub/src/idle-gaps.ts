// How long a freed worker stays idle before the next request takes it: each worker freed with
// nobody waiting at the stub joins a FIFO with the time it went idle; the next request that
// finds a worker free takes the one idle longest and the gap (freed → taken) is counted in fixed
// buckets. Cumulative, so a reader diffs two snapshots (the bench's burst-shield per phase). With
// a gateway capping legacy at its worker count, these gaps are the hand-off between a response
// leaving legacy and the next permit's request arriving (or no demand at all).

/** Upper bounds (ms) of the gap buckets; a last bucket counts the gaps above the last bound. */
export const IDLE_GAP_BOUNDS_MS = [0.25, 0.5, 1, 2, 3, 5, 10, 20, 50, 100, 1000] as const

export interface IdleGapSnapshot {
  /** Gaps ended (a free worker taken by a request). */
  count: number
  /** Their total, ms. */
  totalMs: number
  boundsMs: readonly number[]
  /** counts[i]: gaps in (boundsMs[i-1], boundsMs[i]]; the last entry: above the last bound. */
  counts: number[]
}

export class IdleGaps {
  /** When each free worker went idle, the longest idle first. */
  readonly #freeSince: number[]
  #counts = new Array<number>(IDLE_GAP_BOUNDS_MS.length + 1).fill(0)
  #count = 0
  #totalMs = 0

  constructor (workers: number, now: number) {
    this.#freeSince = new Array<number>(workers).fill(now)
  }

  freed (now: number): void { this.#freeSince.push(now) }

  taken (now: number): void {
    const since = this.#freeSince.shift()
    /* c8 ignore next -- the pool never takes more workers than it freed */
    if (since === undefined) return
    const gap = now - since
    this.#count++
    this.#totalMs += gap
    let i = 0
    while (i < IDLE_GAP_BOUNDS_MS.length && gap > (IDLE_GAP_BOUNDS_MS[i] as number)) i++
    this.#counts[i] = (this.#counts[i] as number) + 1
  }

  snapshot (): IdleGapSnapshot {
    return { count: this.#count, totalMs: this.#totalMs, boundsMs: IDLE_GAP_BOUNDS_MS, counts: [...this.#counts] }
  }

  /** Counts back to zero; the workers free now count as idle from `now`. */
  reset (now: number): void {
    this.#counts.fill(0)
    this.#count = 0
    this.#totalMs = 0
    this.#freeSince.fill(now)
  }
}
