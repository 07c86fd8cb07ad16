// The bounded priority queue of callers waiting for a permit, shared by the in-process
// ConcurrencyLimiter (concurrency-limiter.ts) and the shared RedisSemaphore
// (distributed/redis-semaphore.ts): they differ in where a permit comes from, not in who waits.
// Order: priority class (live > retry > shadow), then the route's numeric priority (higher
// first), then FIFO. A full queue sheds at once — the lowest-priority waiter makes room for a
// higher-priority arrival — and a waiter gives up after `maxWaitMs` on the injected clock.
// Rejections are typed (rejection.ts); an aborted waiter just leaves with the signal's reason.
import type { Clock } from './clock.js'
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

export interface QueueSettings {
  /** Waiters kept at most; 0 = no queue, shed at once. */
  maxSize: number
  /** Longest wait for a permit before `queue_timeout`. */
  maxWaitMs: number
}

/** One queued caller; the owner serves it with `resolve` after taking it out (`shift`, `takeAll`). */
export interface Waiter<T> {
  readonly options: AcquireOptions
  readonly resolve: (value: T) => void
  readonly fail: (err: unknown) => void
}

interface Entry<T> extends Waiter<T> {
  rank: number
  priority: number
  seq: number
  cleanup: () => void
}

/** Negative when `a` should be served before `b`. */
const compare = <T>(a: Entry<T>, b: Entry<T>): number =>
  (a.rank - b.rank) || (b.priority - a.priority) || (a.seq - b.seq)

export interface WaitQueueOptions {
  /** Upstream name, used in rejection messages. */
  name: string
  settings: QueueSettings
  clock: Clock
  /** Called after a waiter joined or left on its own (timeout, abort, shed); not on `shift`. */
  onChange?: () => void
}

export class WaitQueue<T> {
  readonly #name: string
  readonly #clock: Clock
  readonly #onChange: (() => void) | undefined
  readonly #entries: Array<Entry<T>> = []
  #settings: QueueSettings
  #seq = 0

  constructor (options: WaitQueueOptions) {
    this.#name = options.name
    this.#clock = options.clock
    this.#onChange = options.onChange
    this.#settings = { ...options.settings }
  }

  get length (): number { return this.#entries.length }
  get settings (): QueueSettings { return this.#settings }

  /** New settings; a smaller queue sheds its lowest-priority waiters now rather than at their timeout. */
  reconfigure (settings: QueueSettings): void {
    this.#settings = { ...settings }
    for (let lowest = this.#entries.at(-1); lowest && this.#entries.length > settings.maxSize; lowest = this.#entries.at(-1)) {
      this.#remove(lowest)
      lowest.fail(rejections.queueFull(this.#name))
    }
  }

  /**
   * Queues a caller that found no permit. Rejects at once with `concurrency` when there is no
   * queue, `queue_full` when it is full of callers at least as important; later with
   * `queue_timeout`, or the signal's reason when the client goes.
   */
  wait (options: AcquireOptions): Promise<T> {
    if (this.#settings.maxSize <= 0) return Promise.reject(rejections.concurrency(this.#name))
    const { signal } = options
    return new Promise<T>((resolve, reject) => {
      const entry: Entry<T> = {
        options,
        rank: CLASS_RANK[options.priorityClass ?? 'live'],
        priority: options.priority ?? 0,
        seq: this.#seq++,
        resolve,
        fail: reject,
        cleanup: () => {}
      }
      if (this.#entries.length >= this.#settings.maxSize) {
        const lowest = this.#entries.at(-1)
        if (!lowest || compare(entry, lowest) >= 0) {
          reject(rejections.queueFull(this.#name))
          return
        }
        // Shed the lowest-priority waiter to make room for a more important request.
        this.#remove(lowest)
        lowest.fail(rejections.queueFull(this.#name))
      }
      const waitMs = this.#settings.maxWaitMs
      const cancelTimer = this.#clock.setTimeout(() => {
        this.#remove(entry)
        reject(rejections.queueTimeout(this.#name, waitMs))
      }, waitMs)
      const onAbort = (): void => {
        this.#remove(entry)
        reject(signal?.reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      entry.cleanup = () => {
        cancelTimer()
        signal?.removeEventListener('abort', onAbort)
      }
      this.#insert(entry)
    })
  }

  /** Takes the first waiter out (its timer and abort listener gone); the caller resolves it. */
  shift (): Waiter<T> | undefined {
    const head = this.#entries.shift()
    head?.cleanup()
    return head
  }

  /** Takes every waiter out, first first (e.g. to move them to another limiter). */
  takeAll (): Array<Waiter<T>> {
    const all = this.#entries.splice(0)
    for (const entry of all) entry.cleanup()
    return all
  }

  #insert (entry: Entry<T>): void {
    // Binary search for the first waiter that sorts after the new one: O(log n) + splice.
    let lo = 0
    let hi = this.#entries.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (compare(this.#entries[mid] as Entry<T>, entry) <= 0) lo = mid + 1
      else hi = mid
    }
    this.#entries.splice(lo, 0, entry)
    this.#onChange?.()
  }

  #remove (entry: Entry<T>): void {
    entry.cleanup()
    const i = this.#entries.indexOf(entry)
    if (i !== -1) {
      this.#entries.splice(i, 1)
      this.#onChange?.()
    }
  }
}
