// How busy the simulated thread pool has been: worker-milliseconds held (the time integral of
// `inflight`), the milliseconds during which every worker was busy, and the requests that held a
// worker to the end of their service time. Cumulative, on the stub's own monotonic clock, so a
// reader that samples `GET /__stats/usage` twice gets a utilisation over exactly that window
// whatever its own scheduling delays (the bench's burst-shield does this per phase).

/** The body of GET /__stats/usage. */
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
}

export class WorkerUsage {
  readonly workers: number
  readonly #now: () => number
  #since: number
  #inflight = 0
  #busyWorkerMs = 0
  #allBusyMs = 0
  #completed = 0

  constructor (workers: number, now: () => number = () => performance.now()) {
    this.workers = workers
    this.#now = now
    this.#since = now()
  }

  /** The pool now has `inflight` workers held. */
  inflightChanged (inflight: number): void {
    this.#flush()
    this.#inflight = inflight
  }

  /** A request finished its service time (its worker is released or handed on). */
  completed (): void { this.#completed++ }

  snapshot (): UsageSnapshot {
    this.#flush()
    return { clockMs: this.#since, workers: this.workers, busyWorkerMs: this.#busyWorkerMs, allBusyMs: this.#allBusyMs, completed: this.#completed }
  }

  /** Counters back to zero (POST /__stats/reset); the workers held now keep counting. */
  reset (): void {
    this.#flush()
    this.#busyWorkerMs = 0
    this.#allBusyMs = 0
    this.#completed = 0
  }

  #flush (): void {
    const now = this.#now()
    const dt = now - this.#since
    this.#busyWorkerMs += dt * this.#inflight
    if (this.#inflight >= this.workers) this.#allBusyMs += dt
    this.#since = now
  }
}
