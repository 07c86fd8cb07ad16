// The delivery worker: claims due jobs from the queue, at most `concurrency` at a time, and hands
// each to deliverJob (deliver-job.ts: through the legacy shield at the lowest priority, outcome
// written back). It sleeps until the next job is due (or `pollMs`, or a new enqueue wakes it).
// stop() waits for in-flight deliveries up to a grace period, then aborts them and puts them
// back to queued: the next start redelivers them with the same Idempotency-Key.
// The queue port is asynchronous (Redis answers over the network): one pump runs at a time and
// a pump requested meanwhile runs right after it, so a finished delivery never waits for a poll.
// A bookkeeping write that fails (store unreachable) leaves the job `delivering`; the store's
// crash recovery puts it back to queued later and it is redelivered with the same key.
import type { FastifyBaseLogger } from 'fastify'
import { deliverJob } from './deliver-job.js'
import type { Deliver, DeliveryShield, DeliveryStats, JobDelivery } from './deliver-job.js'
import type { Job, JobQueue } from './job-queue.port.js'
import { AsyncSectionSchema } from './async.schema.js'

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
  pollMs?: number // default: the schema's async.pollMs
  maxResultBytes?: number // default: the schema's async.maxResultBytes
  /** In-flight deliveries get this long on stop() before they are aborted and released. */
  stopGraceMs?: number
  now?: () => number
  random?: () => number
  logger?: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>
}

export class DeliveryWorker {
  readonly #o: DeliveryWorkerOptions
  readonly #now: () => number
  readonly #delivery: JobDelivery
  readonly #inflight = new Map<string, { done: Promise<void>, abort: AbortController }>()
  #timer: NodeJS.Timeout | undefined
  #running = false
  #starting: Promise<void> | undefined
  #pumping: Promise<void> | undefined
  #pumpAgain = false
  /** Deliveries finished since start, per outcome (for tests and the admin view). */
  readonly stats: DeliveryStats = { delivered: 0, failed: 0, retried: 0, waited: 0, dead: 0, maxInflight: 0 }

  constructor (options: DeliveryWorkerOptions) {
    this.#o = options
    this.#now = options.now ?? Date.now
    const shield = options.shield
    this.#delivery = {
      queue: options.queue,
      deliver: options.deliver,
      shield: typeof shield === 'function' ? shield : () => shield,
      priorityClass: options.priorityClass ?? 'shadow',
      maxResultBytes: options.maxResultBytes ?? AsyncSectionSchema.properties.maxResultBytes.default,
      now: this.#now,
      random: options.random,
      logger: options.logger,
      stats: this.stats
    }
  }

  get inflight (): number { return this.#inflight.size }

  /**
   * Recovers jobs a crash left in `delivering`, then starts pulling. The returned promise settles
   * once recovery ran (a failed recovery is logged; the worker pulls anyway and the store's own
   * periodic recovery, if any, catches up).
   */
  start (): Promise<void> {
    if (this.#running) return this.#starting ?? Promise.resolve()
    this.#running = true
    this.#starting = this.#o.queue.recoverInflight(this.#now()).then(recovered => {
      if (recovered > 0) this.#o.logger?.warn({ recovered }, 'async: jobs interrupted mid-delivery requeued (same Idempotency-Key)')
    }, (err: unknown) => {
      this.#o.logger?.error({ err }, 'async: crash recovery of the job queue failed')
    }).finally(() => { this.wake() })
    return this.#starting
  }

  /** A new job was committed: look now instead of at the next poll. */
  wake (): void {
    if (!this.#running) return
    if (this.#timer !== undefined) { clearTimeout(this.#timer); this.#timer = undefined }
    setImmediate(() => this.#pump())
  }

  #pump (): void {
    if (!this.#running) return
    if (this.#pumping !== undefined) { this.#pumpAgain = true; return }
    this.#pumping = this.#pumpOnce().finally(() => {
      this.#pumping = undefined
      if (this.#pumpAgain) { this.#pumpAgain = false; this.#pump() }
    })
  }

  async #pumpOnce (): Promise<void> {
    try {
      const free = this.#o.concurrency - this.#inflight.size
      const jobs = free > 0 && this.#running ? await this.#o.queue.claimDue(this.#now(), free) : []
      for (const job of jobs) this.#launch(job)
      if (this.#inflight.size > this.stats.maxInflight) this.stats.maxInflight = this.#inflight.size
      if (this.#inflight.size < this.#o.concurrency) await this.#schedule(free > 0 && jobs.length === 0)
    } catch (err) {
      this.#o.logger?.error({ err }, 'async: cannot read the job queue')
      await this.#schedule(true)
    }
  }

  /**
   * `idle`: slots were free but nothing was claimed. If the store still says a job is due, it is
   * not claimable yet (e.g. Redis answered a moment ago from another replica's view): look again
   * shortly instead of spinning on it.
   */
  async #schedule (idle: boolean): Promise<void> {
    if (!this.#running || this.#timer !== undefined) return
    const poll = this.#o.pollMs ?? AsyncSectionSchema.properties.pollMs.default
    let next: number | undefined
    try { next = await this.#o.queue.nextDueAt() } catch { next = undefined }
    if (!this.#running || this.#timer !== undefined) return
    const now = this.#now()
    const wait = next === undefined
      ? poll
      : idle && next <= now ? Math.min(poll, 50) : Math.max(0, Math.min(poll, next - now))
    this.#timer = setTimeout(() => { this.#timer = undefined; this.#pump() }, wait)
    this.#timer.unref()
  }

  #launch (job: Job): void {
    const abort = new AbortController()
    const done = deliverJob(this.#delivery, job, abort.signal)
      .catch(err => { this.#o.logger?.error({ err, job: job.id }, 'async: delivery bookkeeping failed') })
      .finally(() => {
        this.#inflight.delete(job.id)
        this.#pump()
      })
    this.#inflight.set(job.id, { done, abort })
  }

  /** Stops pulling; in-flight deliveries finish within `stopGraceMs`, the rest are aborted and released. */
  async stop (): Promise<void> {
    this.#running = false
    if (this.#timer !== undefined) { clearTimeout(this.#timer); this.#timer = undefined }
    await this.#starting
    // A claim under way when stop() was called still launches its jobs: wait for it.
    await this.#pumping
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
