// How busy the simulated thread pool has been: worker-milliseconds held (the time integral of
// `inflight`), the milliseconds during which every worker was busy, and the requests that held a
// worker to the end of their service time. Cumulative, on the stub's own monotonic clock, so a
// reader that samples `GET /__stats/usage` twice gets a utilisation over exactly that window
// whatever its own scheduling delays (the bench's burst-shield does this per phase). Also how
// long freed workers stayed idle (idle-gaps.ts) and how long the stub took to write an answer
// after its service time ended: the stub's own share of a worker's idle time.
import { IdleGaps } from './idle-gaps.js'
import type { IdleGapSnapshot } from './idle-gaps.js'

/** The body of GET /__stats/usage (with `loopDelay`, loop-delay.ts, added by the route). */
export interface UsageSnapshot {
  /** The stub's clock (ms, monotonic; only differences mean anything). */
  clockMs: number
  workers: number
  /** ∫ inflight dt: ms of worker time held since start or reset. */
  busyWorkerMs: number
  /** ms during which all `workers` were held. */
  allBusyMs: number
  /** Requests that held a worker until their service time ended (any status). */
  completed: number
  /** Freed → taken again, per worker (fixed buckets). Added later: readers must allow its absence. */
  idleGaps: IdleGapSnapshot
  /** From the end of a service time to the answer's last byte handed to the socket. */
  responseWrite: { count: number, totalMs: number }
}

export class WorkerUsage {
  readonly workers: number
  readonly #now: () => number
  #since: number
  #inflight = 0
  #busyWorkerMs = 0
  #allBusyMs = 0
  #completed = 0
  readonly #gaps: IdleGaps
  #writes = 0
  #writeMs = 0

  constructor (workers: number, now: () => number = () => performance.now()) {
    this.workers = workers
    this.#now = now
    this.#since = now()
    this.#gaps = new IdleGaps(workers, this.#since)
  }

  /** The stub clock (the capacity hooks time the answer's write on it). */
  now (): number { return this.#now() }

  /** The pool now has `inflight` workers held (one more or one less than before). */
  inflightChanged (inflight: number): void {
    this.#flush()
    if (inflight > this.#inflight) this.#gaps.taken(this.#since)
    else if (inflight < this.#inflight) this.#gaps.freed(this.#since)
    this.#inflight = inflight
  }

  /** An answer whose service ended at `serviceEndedMs` (stub clock) is written. */
  responded (serviceEndedMs: number): void {
    this.#writes++
    this.#writeMs += this.#now() - serviceEndedMs
  }

  /** A request finished its service time (its worker is released or handed on). */
  completed (): void { this.#completed++ }

  snapshot (): UsageSnapshot {
    this.#flush()
    return {
      clockMs: this.#since,
      workers: this.workers,
      busyWorkerMs: this.#busyWorkerMs,
      allBusyMs: this.#allBusyMs,
      completed: this.#completed,
      idleGaps: this.#gaps.snapshot(),
      responseWrite: { count: this.#writes, totalMs: this.#writeMs }
    }
  }

  /** Counters back to zero (POST /__stats/reset); the workers held now keep counting. */
  reset (): void {
    this.#flush()
    this.#busyWorkerMs = 0
    this.#allBusyMs = 0
    this.#completed = 0
    this.#gaps.reset(this.#since)
    this.#writes = 0
    this.#writeMs = 0
  }

  #flush (): void {
    const now = this.#now()
    const dt = now - this.#since
    this.#busyWorkerMs += dt * this.#inflight
    if (this.#inflight >= this.workers) this.#allBusyMs += dt
    this.#since = now
  }
}
