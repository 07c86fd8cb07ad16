// The capacity model of a starved IIS thread pool. `maxConcurrency` workers; a request that
// finds none free waits in a FIFO queue; past `queueLimit` waiting requests it is refused at
// once. No timers and no HTTP here: the hook in capacity.plugin.ts holds a worker for the
// service time. The arithmetic (service time, which refusal is a 500) is exported for tests.
import { WorkerUsage } from './usage.js'

/** Hand back the worker. Idempotent. */
export type Release = () => void

export type Admission =
  | { kind: 'admitted', worker: Promise<Release> }
  | { kind: 'refused', status: 503 | 500, waiting: number }

/** Every OVERLOAD_500_EVERY-th refusal is a 500 instead of a 503: the box starts falling over. */
export const OVERLOAD_500_EVERY = 4

/**
 * Service time of a request that just got a worker: the base latency stretched by how full the
 * queue is (up to 2x when it is at its limit), the way a starved pool slows down as context
 * switches, GC and lock contention grow. So goodput drops as load rises: it collapses.
 */
export function serviceTimeMs (latencyMs: number, waiting: number, queueLimit: number): number {
  if (queueLimit <= 0) return latencyMs
  return latencyMs * (1 + Math.min(waiting, queueLimit) / queueLimit)
}

/** Status of the n-th (1-based) refusal since start or reset. */
export function refusalStatus (n: number): 503 | 500 {
  return n % OVERLOAD_500_EVERY === 0 ? 500 : 503
}

export class QueueDroppedError extends Error {
  override name = 'QueueDroppedError'
  constructor () { super('queue dropped') }
}

interface Waiter { resolve: (release: Release) => void, reject: (err: Error) => void }

export class CapacityModel {
  readonly maxConcurrency: number
  readonly queueLimit: number
  inflight = 0
  maxInflight = 0
  maxQueued = 0
  refusals = 0
  /** Worker time held and time fully busy (GET /__stats/usage). */
  readonly usage: WorkerUsage
  #queue: Waiter[] = []

  /** `clock`: monotonic ms for the usage figures; default performance.now. */
  constructor (opts: { maxConcurrency: number, queueLimit: number, clock?: () => number }) {
    this.maxConcurrency = opts.maxConcurrency
    this.queueLimit = opts.queueLimit
    this.usage = new WorkerUsage(opts.maxConcurrency, opts.clock)
  }

  get queued (): number { return this.#queue.length }

  admit (): Admission {
    if (this.inflight < this.maxConcurrency) {
      this.inflight++
      this.usage.inflightChanged(this.inflight)
      this.maxInflight = Math.max(this.maxInflight, this.inflight)
      return { kind: 'admitted', worker: Promise.resolve(this.#releaser()) }
    }
    if (this.#queue.length >= this.queueLimit) {
      this.refusals++
      return { kind: 'refused', status: refusalStatus(this.refusals), waiting: this.#queue.length }
    }
    const worker = new Promise<Release>((resolve, reject) => { this.#queue.push({ resolve, reject }) })
    this.maxQueued = Math.max(this.maxQueued, this.#queue.length)
    return { kind: 'admitted', worker }
  }

  /** A crash forgets its queue: every waiter is rejected with QueueDroppedError. */
  dropQueue (): number {
    const dropped = this.#queue.splice(0)
    for (const waiter of dropped) waiter.reject(new QueueDroppedError())
    return dropped.length
  }

  /** Peaks start again from the current state; `refusals` restarts the 500 rule. */
  resetCounters (): void {
    this.maxInflight = this.inflight
    this.maxQueued = this.#queue.length
    this.refusals = 0
    this.usage.reset()
  }

  #releaser (): Release {
    let released = false
    return () => {
      if (released) return
      released = true
      this.usage.completed()
      const next = this.#queue.shift()
      // The worker passes straight to the oldest waiter: inflight stays as it is.
      if (next !== undefined) next.resolve(this.#releaser())
      else this.usage.inflightChanged(--this.inflight)
    }
  }
}
