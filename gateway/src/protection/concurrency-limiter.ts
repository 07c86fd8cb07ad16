// Permits in front of one upstream: at most `limit` callers hold a permit; the rest wait in the
// bounded priority queue of wait-queue.ts (order, shedding, timeouts and aborts live there).
// Rejections are typed (rejection.ts).
import { systemClock } from './clock.js'
import type { Clock } from './clock.js'
import type { AdaptiveLimit } from './adaptive-limit.js'
import { WaitQueue } from './wait-queue.js'
import type { AcquireOptions, QueueSettings } from './wait-queue.js'

export type { AbortLike, AcquireOptions, PriorityClass, QueueSettings } from './wait-queue.js'

/** Gives the permit back; idempotent. `dropped` feeds the adaptive limit (timeout/5xx). */
export type Release = (outcome?: { dropped?: boolean }) => void

export interface ConcurrencyLimiterOptions {
  /** Upstream name, used in error messages. */
  name: string
  maxConcurrency: number
  queue: QueueSettings
  clock?: Clock
  adaptive?: AdaptiveLimit
  /** Called after every change of inflight/queued (bind to gauges). */
  onChange?: (inflight: number, queued: number) => void
}

export class ConcurrencyLimiter {
  readonly name: string
  #max: number
  readonly #clock: Clock
  readonly #adaptive: AdaptiveLimit | undefined
  readonly #onChange: ((inflight: number, queued: number) => void) | undefined
  readonly #queue: WaitQueue<Release>
  #inflight = 0
  #maxInflightSeen = 0

  constructor (options: ConcurrencyLimiterOptions) {
    if (!(options.maxConcurrency >= 1)) throw new RangeError('maxConcurrency must be >= 1')
    this.name = options.name
    this.#max = options.maxConcurrency
    this.#clock = options.clock ?? systemClock
    this.#adaptive = options.adaptive
    this.#onChange = options.onChange
    this.#queue = new WaitQueue({ name: options.name, settings: options.queue, clock: this.#clock, onChange: () => { this.#changed() } })
  }

  get inflight (): number { return this.#inflight }
  get queued (): number { return this.#queue.length }
  get maxInflightSeen (): number { return this.#maxInflightSeen }
  /** Current cap: the configured maximum, or lower while the adaptive limit says so. */
  get limit (): number {
    return this.#adaptive ? Math.max(1, Math.min(this.#max, this.#adaptive.limit)) : this.#max
  }

  resetMaxInflightSeen (): void { this.#maxInflightSeen = this.#inflight }

  /** Applies a reloaded config; waiters already queued keep their deadline. */
  reconfigure (maxConcurrency: number, queue: QueueSettings): void {
    if (!(maxConcurrency >= 1)) throw new RangeError('maxConcurrency must be >= 1')
    this.#max = maxConcurrency
    this.#queue.reconfigure(queue)
    this.#dispatch()
  }

  acquire (options: AcquireOptions = {}): Promise<Release> {
    const { signal } = options
    if (signal?.aborted) return Promise.reject(signal.reason)
    if (this.#inflight < this.limit && this.#queue.length === 0) return Promise.resolve(this.#grant())
    return this.#queue.wait(options)
  }

  #grant (): Release {
    this.#inflight++
    if (this.#inflight > this.#maxInflightSeen) this.#maxInflightSeen = this.#inflight
    this.#changed()
    const startedAt = this.#clock.now()
    let released = false
    return (outcome = {}) => {
      if (released) return
      released = true
      this.#inflight--
      this.#adaptive?.onSample({
        rttMs: this.#clock.now() - startedAt, dropped: outcome.dropped === true, inflight: this.#inflight + 1
      })
      this.#changed()
      this.#dispatch()
    }
  }

  #dispatch (): void {
    while (this.#inflight < this.limit && this.#queue.length > 0) {
      this.#queue.shift()?.resolve(this.#grant())
    }
  }

  #changed (): void { this.#onChange?.(this.#inflight, this.#queue.length) }
}
