// The delivery worker: claims due jobs from the queue and sends each to legacy through the
// legacy shield at the lowest priority, at most `concurrency` at a time. It sleeps until the
// next job is due (or `pollMs`, or a new enqueue wakes it). Outcomes (delivery-outcome.ts):
// delivered / failed (permanent 4xx) are final; transient failures burn an attempt and come back
// after a jittered backoff, dead after `maxAttempts`; a shed or open breaker burns nothing and
// the job waits for the shield's Retry-After. Every job past its deadline is dead-lettered.
// stop() waits for in-flight deliveries up to a grace period, then aborts them and puts them
// back to queued: the next start redelivers them with the same Idempotency-Key.
import type { FastifyBaseLogger } from 'fastify'
import { backoffDelayMs } from './backoff.js'
import { classifyError, classifyStatus } from './delivery-outcome.js'
import type { Job, JobQueue, JobResult } from './job-queue.port.js'
import { truncateBody } from './job-request.js'

export interface DeliveryRequest {
  method: string
  /** Path and query. */
  target: string
  headers: Record<string, string | string[]>
  body: Buffer
}

export interface DeliveryResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

/** Sends one request to legacy; rejects on transport errors. */
export type Deliver = (req: DeliveryRequest, signal: AbortSignal) => Promise<DeliveryResponse>

/** The part of protection's Shield the worker uses (Shield satisfies it). */
export interface DeliveryShield {
  run<T> (ctx: {
    routeId: string
    method: string
    priorityClass?: 'live' | 'retry' | 'shadow'
    signal?: AbortSignal
    isFailureResult?: (value: unknown) => boolean
  }, fn: (signal?: AbortSignal) => Promise<T>): Promise<T>
}

export interface DeliveryWorkerOptions {
  queue: JobQueue
  deliver: Deliver
  /**
   * protection.legacy, or a getter for it when the shield is built after the worker (e.g.
   * `() => app.protection?.legacy`); absent/undefined = deliver directly, bounded by concurrency only.
   */
  shield?: DeliveryShield | (() => DeliveryShield | undefined)
  priorityClass?: 'retry' | 'shadow'
  concurrency: number
  pollMs?: number
  maxResultBytes?: number
  /** In-flight deliveries get this long on stop() before they are aborted and released. */
  stopGraceMs?: number
  now?: () => number
  random?: () => number
  logger?: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>
}

const RESULT_HEADERS = ['content-type', 'location', 'idempotent-replayed', 'retry-after']

function resultOf (res: DeliveryResponse, limit: number): JobResult {
  const headers: Record<string, string> = {}
  for (const name of RESULT_HEADERS) {
    const v = res.headers[name]
    if (v !== undefined) headers[name] = Array.isArray(v) ? v.join(', ') : v
  }
  const { text, truncated } = truncateBody(res.body, limit)
  return { status: res.status, headers, body: text, truncated }
}

export class DeliveryWorker {
  readonly #o: DeliveryWorkerOptions
  readonly #now: () => number
  readonly #inflight = new Map<string, { done: Promise<void>, abort: AbortController }>()
  #timer: NodeJS.Timeout | undefined
  #running = false
  #pumping = false
  /** Deliveries finished since start, per outcome (for tests and the admin view). */
  readonly stats = { delivered: 0, failed: 0, retried: 0, waited: 0, dead: 0, maxInflight: 0 }

  constructor (options: DeliveryWorkerOptions) {
    this.#o = options
    this.#now = options.now ?? Date.now
  }

  get inflight (): number { return this.#inflight.size }

  /** Recovers jobs a crash left in `delivering`, then starts pulling. */
  start (): void {
    if (this.#running) return
    this.#running = true
    const recovered = this.#o.queue.recoverInflight(this.#now())
    if (recovered > 0) this.#o.logger?.warn({ recovered }, 'async: jobs interrupted mid-delivery requeued (same Idempotency-Key)')
    this.wake()
  }

  /** A new job was committed: look now instead of at the next poll. */
  wake (): void {
    if (!this.#running) return
    if (this.#timer !== undefined) { clearTimeout(this.#timer); this.#timer = undefined }
    setImmediate(() => this.#pump())
  }

  #pump (): void {
    if (!this.#running || this.#pumping) return
    this.#pumping = true
    try {
      const free = this.#o.concurrency - this.#inflight.size
      const now = this.#now()
      const jobs = free > 0 ? this.#o.queue.claimDue(now, free) : []
      for (const job of jobs) this.#launch(job)
      if (this.#inflight.size > this.stats.maxInflight) this.stats.maxInflight = this.#inflight.size
      if (this.#inflight.size < this.#o.concurrency) this.#schedule()
    } catch (err) {
      this.#o.logger?.error({ err }, 'async: cannot read the job queue')
      this.#schedule()
    } finally {
      this.#pumping = false
    }
  }

  #schedule (): void {
    if (!this.#running || this.#timer !== undefined) return
    const poll = this.#o.pollMs ?? 500
    const next = this.#o.queue.nextDueAt()
    const wait = next === undefined ? poll : Math.max(0, Math.min(poll, next - this.#now()))
    this.#timer = setTimeout(() => { this.#timer = undefined; this.#pump() }, wait)
    this.#timer.unref()
  }

  #launch (job: Job): void {
    const abort = new AbortController()
    const done = this.#deliverOne(job, abort.signal)
      .catch(err => { this.#o.logger?.error({ err, job: job.id }, 'async: delivery bookkeeping failed') })
      .finally(() => {
        this.#inflight.delete(job.id)
        this.#pump()
      })
    this.#inflight.set(job.id, { done, abort })
  }

  async #deliverOne (job: Job, signal: AbortSignal): Promise<void> {
    const { queue } = this.#o
    if (this.#now() >= job.deadlineAt) {
      queue.markDead(job.id, `not delivered before its deadline (last error: ${job.lastError ?? 'none'})`, this.#now())
      this.stats.dead++
      return
    }
    const req: DeliveryRequest = {
      method: job.method,
      target: job.target,
      headers: { ...job.headers, 'idempotency-key': job.deliveryKey, 'x-gateway-job-id': job.id },
      body: job.body
    }
    const send = (s?: AbortSignal): Promise<DeliveryResponse> => this.#o.deliver(req, s ?? signal)
    const shield = typeof this.#o.shield === 'function' ? this.#o.shield() : this.#o.shield
    let res: DeliveryResponse
    try {
      res = shield
        ? await shield.run({
          routeId: job.routeId,
          method: job.method,
          priorityClass: this.#o.priorityClass ?? 'shadow',
          signal,
          isFailureResult: (v) => (v as DeliveryResponse).status >= 500
        }, send)
        : await send()
    } catch (err) {
      if (signal.aborted) {
        // Shutdown: legacy may or may not have stored it; the redelivery carries the same key.
        queue.release(job.id, 'interrupted by shutdown', this.#now(), this.#now())
        return
      }
      this.#settle(job, classifyError(err))
      return
    }
    this.#settle(job, classifyStatus(res.status), resultOf(res, this.#o.maxResultBytes ?? 16_384))
  }

  #settle (job: Job, outcome: ReturnType<typeof classifyStatus>, result?: JobResult): void {
    const { queue } = this.#o
    const now = this.#now()
    switch (outcome.kind) {
      case 'delivered':
        queue.markDelivered(job.id, result!, now)
        this.stats.delivered++
        return
      case 'failed':
        queue.markFailed(job.id, result!, now)
        this.stats.failed++
        this.#o.logger?.warn({ job: job.id, route: job.routeId, status: result!.status }, 'async: legacy refused the job permanently')
        return
      case 'wait':
        queue.release(job.id, `waiting: ${outcome.reason}`, now + outcome.retryAfterMs, now)
        this.stats.waited++
        return
      case 'transient': {
        const attempts = job.attempts + 1
        if (attempts >= job.maxAttempts) {
          queue.markRetry(job.id, outcome.reason, now, now) // counts the attempt
          queue.markDead(job.id, `${attempts} attempts failed, last: ${outcome.reason}`, now)
          this.stats.dead++
          this.#o.logger?.warn({ job: job.id, route: job.routeId, attempts }, 'async: job dead-lettered')
          return
        }
        const delay = backoffDelayMs(job.backoff, attempts, this.#o.random)
        queue.markRetry(job.id, outcome.reason, now + delay, now)
        this.stats.retried++
      }
    }
  }

  /** Stops pulling; in-flight deliveries finish within `stopGraceMs`, the rest are aborted and released. */
  async stop (): Promise<void> {
    this.#running = false
    if (this.#timer !== undefined) { clearTimeout(this.#timer); this.#timer = undefined }
    const all = [...this.#inflight.values()]
    if (all.length === 0) return
    let timer: NodeJS.Timeout | undefined
    const grace = new Promise<void>(resolve => { timer = setTimeout(resolve, this.#o.stopGraceMs ?? 5000) })
    await Promise.race([Promise.all(all.map(i => i.done)), grace])
    clearTimeout(timer)
    for (const i of this.#inflight.values()) i.abort.abort(new Error('delivery worker stopping'))
    await Promise.all([...this.#inflight.values()].map(i => i.done))
  }
}
