// A hand-driven Clock for protection unit tests: time moves only on `advance(ms)`, which fires
// due timers in order. No sleeping, no flakiness on a loaded machine.
import type { Clock } from '../../gateway/src/protection/clock.js'

export class ManualClock implements Clock {
  #now: number
  #seq = 0
  readonly #timers = new Map<number, { at: number, fn: () => void }>()

  constructor (start = 1_000_000) {
    this.#now = start
  }

  now (): number { return this.#now }

  setTimeout (fn: () => void, ms: number): () => void {
    const id = this.#seq++
    this.#timers.set(id, { at: this.#now + ms, fn })
    return () => { this.#timers.delete(id) }
  }

  get pendingTimers (): number { return this.#timers.size }

  advance (ms: number): void {
    const target = this.#now + ms
    for (;;) {
      let next: [number, { at: number, fn: () => void }] | undefined
      for (const entry of this.#timers) {
        if (entry[1].at <= target && (!next || entry[1].at < next[1].at)) next = entry
      }
      if (!next) break
      this.#timers.delete(next[0])
      this.#now = next[1].at
      next[1].fn()
    }
    this.#now = target
  }
}

/** Lets pending promise callbacks run (after `advance`, before asserting). */
export const flush = (): Promise<void> => new Promise(resolve => setImmediate(resolve))
