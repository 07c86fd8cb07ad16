// Permits + a bounded priority queue in front of one upstream. At most `limit` callers hold a
// permit; the rest wait in a queue ordered by priority class (live > retry > shadow), then by
// the route's numeric priority (higher first), then FIFO. A full queue sheds at once — the
// lowest-priority waiter makes room for a higher-priority arrival — and a waiter gives up after
// `maxWaitMs`. Rejections are typed (rejection.ts); an aborted waiter just leaves the queue.
import { systemClock } from './clock.js'
import type { Clock } from './clock.js'
import type { AdaptiveLimit } from './adaptive-limit.js'
import { rejections } from './rejection.js'

export type PriorityClass = 'live' | 'retry' | 'shadow'
const CLASS_RANK: Record<PriorityClass, number> = { live: 0, retry: 1, shadow: 2 }

export interface AcquireOptions {
  /** Default 'live'. */
  priorityClass?: PriorityClass
  /** Route priority, higher is served (and kept) first. Default 0. */
  priority?: number
  /**
   * Client gone: the waiter leaves the queue and the promise rejects with the signal's reason.
   * An AbortSignal, or anything with its shape (the protection hooks pass a per-request object
   * fed by the connection's 'close' event: no AbortController per request). Read once at entry
   * (`aborted`); a listener is added only when the caller has to queue.
   */
  signal?: AbortLike
}

/** The part of AbortSignal the limiters use. */
export interface AbortLike {
  readonly aborted: boolean
  readonly reason?: unknown
  addEventListener: (type: 'abort', listener: () => void, options?: { once?: boolean }) => void
  removeEventListener: (type: 'abort', listener: () => void) => void
}

/** Gives the permit back; idempotent. `dropped` feeds the adaptive limit (timeout/5xx). */
export type Release = (outcome?: { dropped?: boolean }) => void

export interface QueueSettings {
  /** Waiters kept at most; 0 = no queue, shed at once. */
  maxSize: number
  /** Longest wait for a permit before `queue_timeout`. */
  maxWaitMs: number
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

interface Waiter {
  rank: number
  priority: number
  seq: number
  resolve: (release: Release) => void
  fail: (err: unknown) => void
  cleanup: () => void
}

/** Negative when `a` should be served before `b`. */
const compare = (a: Waiter, b: Waiter): number =>
  (a.rank - b.rank) || (b.priority - a.priority) || (a.seq - b.seq)

export class ConcurrencyLimiter {
  readonly name: string
  #max: number
  #queueSettings: QueueSettings
  readonly #clock: Clock
  readonly #adaptive: AdaptiveLimit | undefined
  readonly #onChange: ((inflight: number, queued: number) => void) | undefined
  readonly #queue: Waiter[] = []
  #inflight = 0
  #maxInflightSeen = 0
  #seq = 0

  constructor (options: ConcurrencyLimiterOptions) {
    if (!(options.maxConcurrency >= 1)) throw new RangeError('maxConcurrency must be >= 1')
    this.name = options.name
    this.#max = options.maxConcurrency
    this.#queueSettings = { ...options.queue }
    this.#clock = options.clock ?? systemClock
    this.#adaptive = options.adaptive
    this.#onChange = options.onChange
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
    this.#queueSettings = { ...queue }
    // A smaller queue sheds its lowest-priority waiters now rather than letting them time out.
    for (let lowest = this.#queue.at(-1); lowest && this.#queue.length > this.#queueSettings.maxSize; lowest = this.#queue.at(-1)) {
      this.#remove(lowest)
      lowest.fail(rejections.queueFull(this.name))
    }
    this.#dispatch()
  }

  acquire (options: AcquireOptions = {}): Promise<Release> {
    const { signal } = options
    if (signal?.aborted) return Promise.reject(signal.reason)
    if (this.#inflight < this.limit && this.#queue.length === 0) return Promise.resolve(this.#grant())
    if (this.#queueSettings.maxSize <= 0) return Promise.reject(rejections.concurrency(this.name))

    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = {
        rank: CLASS_RANK[options.priorityClass ?? 'live'],
        priority: options.priority ?? 0,
        seq: this.#seq++,
        resolve,
        fail: reject,
        cleanup: () => {}
      }
      if (this.#queue.length >= this.#queueSettings.maxSize) {
        const lowest = this.#queue[this.#queue.length - 1]
        if (!lowest || compare(waiter, lowest) >= 0) {
          reject(rejections.queueFull(this.name))
          return
        }
        // Shed the lowest-priority waiter to make room for a more important request.
        this.#remove(lowest)
        lowest.fail(rejections.queueFull(this.name))
      }
      const waitMs = this.#queueSettings.maxWaitMs
      const cancelTimer = this.#clock.setTimeout(() => {
        this.#remove(waiter)
        reject(rejections.queueTimeout(this.name, waitMs))
      }, waitMs)
      const onAbort = (): void => {
        this.#remove(waiter)
        reject(signal?.reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      waiter.cleanup = () => {
        cancelTimer()
        signal?.removeEventListener('abort', onAbort)
      }
      this.#insert(waiter)
    })
  }

  #insert (waiter: Waiter): void {
    // Binary search for the first waiter that sorts after the new one: O(log n) + splice.
    let lo = 0
    let hi = this.#queue.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (compare(this.#queue[mid] as Waiter, waiter) <= 0) lo = mid + 1
      else hi = mid
    }
    this.#queue.splice(lo, 0, waiter)
    this.#changed()
  }

  #remove (waiter: Waiter): void {
    waiter.cleanup()
    const i = this.#queue.indexOf(waiter)
    if (i !== -1) {
      this.#queue.splice(i, 1)
      this.#changed()
    }
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
      const next = this.#queue.shift() as Waiter
      next.cleanup()
      next.resolve(this.#grant())
    }
  }

  #changed (): void { this.#onChange?.(this.#inflight, this.#queue.length) }
}
