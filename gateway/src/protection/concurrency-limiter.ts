// Permits in front of one upstream: at most `limit` callers hold a permit; the rest wait in the
// bounded priority queue of wait-queue.ts (order, shedding, timeouts and aborts live there).
// Rejections are typed (rejection.ts). An optional PermitObserver (observe()) sees permits change
// hands, for the bench's hand-off breakdown; without one it costs an undefined check per change.
import { systemClock } from './clock.js'
import type { Clock } from './clock.js'
import type { AdaptiveLimit } from './adaptive-limit.js'
import { WaitQueue } from './wait-queue.js'
import type { AcquireOptions, QueueSettings } from './wait-queue.js'

export type { AbortLike, AcquireOptions, PriorityClass, QueueSettings } from './wait-queue.js'

/** Gives the permit back; idempotent. `dropped` feeds the adaptive limit (timeout/5xx). */
export type Release = (outcome?: { dropped?: boolean }) => void

/**
 * Sees the permits change hands (bench/lib/permit-probe.ts times the hand-off with it). Called
 * synchronously inside the limiter: keep it to a few arithmetic operations. `woken` is queued as
 * a microtask as it is, unbound: make it an arrow function.
 */
export interface PermitObserver {
  /** After every change of inflight or queued (where onChange is called), with the cap in force. */
  changed: (inflight: number, queued: number, limit: number) => void
  /** A permit was taken: at once (nobody waiting), or `handedOver` by a release to the first waiter. */
  granted: (handedOver: boolean) => void
  /** A permit came back; `waiting`: callers queued at that moment (0: it idles until one comes). */
  released: (waiting: number) => void
  /** The waiter of the oldest hand-over not yet reported runs: the first microtask queued after its promise resolved. */
  woken: () => void
}

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
  #observer: PermitObserver | undefined

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

  /** Attaches (or with undefined detaches) the one observer; reports start from the current state. */
  observe (observer: PermitObserver | undefined): void {
    this.#observer = observer
    observer?.changed(this.#inflight, this.#queue.length, this.limit)
  }

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

  /** A permit now without a promise, or undefined when the caller would wait (or is gone): then acquire(). */
  tryAcquire (options: AcquireOptions = {}): Release | undefined {
    if (options.signal?.aborted) return undefined
    return this.#inflight < this.limit && this.#queue.length === 0 ? this.#grant() : undefined
  }

  #grant (handedOver = false): Release {
    this.#inflight++
    if (this.#inflight > this.#maxInflightSeen) this.#maxInflightSeen = this.#inflight
    this.#observer?.granted(handedOver)
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
      this.#observer?.released(this.#queue.length)
      this.#changed()
      this.#dispatch()
    }
  }

  #dispatch (): void {
    while (this.#inflight < this.limit && this.#queue.length > 0) {
      this.#queue.shift()?.resolve(this.#grant(true))
      // Queued after the waiter's continuation (promise jobs run in order): it runs when the waiter has.
      if (this.#observer !== undefined) queueMicrotask(this.#observer.woken)
    }
  }

  #changed (): void {
    this.#onChange?.(this.#inflight, this.#queue.length)
    this.#observer?.changed(this.#inflight, this.#queue.length, this.limit)
  }
}
