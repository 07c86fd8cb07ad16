// A job queue that is opened in the background: the Redis stream queue when REDIS_URL is set but
// Redis cannot be reached (yet). Until it opens, nothing is acknowledged — enqueue and reads fail
// with 503 GW_ERR_ASYNC_QUEUE_WRITE (+ Retry-After from the intake), the worker finds no work —
// and opening is retried every `retryMs`. Once open it delegates everything and runs the queue's
// crash recovery once (jobs a dead replica left mid-delivery), then calls `onOpen` (wake the worker).
import { AsyncQueueWriteError } from '../errors.js'
import type { EnqueueResult, Job, JobQueue, JobResult, JobState, ListQuery, NewJob } from './job-queue.port.js'

export interface DeferredJobQueueOptions {
  open: () => Promise<JobQueue>
  /** Wait between failed attempts (ms). Default 2000. */
  retryMs?: number
  onOpen?: (queue: JobQueue) => void
  logger?: { warn: (obj: object, msg: string) => void, info: (obj: object, msg: string) => void }
  now?: () => number
}

export class DeferredJobQueue implements JobQueue {
  readonly #o: DeferredJobQueueOptions
  #queue: JobQueue | undefined
  #lastError = 'not opened yet'
  #timer: NodeJS.Timeout | undefined
  #closed = false
  #attempt: Promise<void> | undefined
  #firstAttempt: Promise<void>

  constructor (options: DeferredJobQueueOptions) {
    this.#o = options
    this.#firstAttempt = this.#tryOpen()
  }

  /** The opened queue, if any. */
  get current (): JobQueue | undefined { return this.#queue }

  /** Settles after the first attempt (opened or not): start-up waits for it before listening. */
  firstAttempt (): Promise<void> { return this.#firstAttempt }

  #tryOpen (): Promise<void> {
    this.#attempt = (async () => {
      try {
        const queue = await this.#o.open()
        if (this.#closed) { await queue.close(); return }
        const recovered = await queue.recoverInflight((this.#o.now ?? Date.now)())
        this.#queue = queue
        this.#o.logger?.info({ recovered }, 'async: job queue opened')
        this.#o.onOpen?.(queue)
      } catch (err) {
        this.#lastError = (err as Error).message
        this.#o.logger?.warn({ err: this.#lastError }, 'async: job queue unavailable: async writes answer 503 until it opens')
        if (!this.#closed) {
          this.#timer = setTimeout(() => { this.#timer = undefined; this.#tryOpen().catch(() => {}) }, this.#o.retryMs ?? 2000)
          this.#timer.unref()
        }
      }
    })()
    return this.#attempt
  }

  #q (): JobQueue {
    if (this.#queue === undefined) throw new AsyncQueueWriteError(`the job queue is unavailable (${this.#lastError})`)
    return this.#queue
  }

  async enqueue (job: NewJob): Promise<EnqueueResult> { return await this.#q().enqueue(job) }
  async get (id: string): Promise<Job | undefined> { return await this.#q().get(id) }
  // The worker polls: no queue yet = no work (quietly), not an error per poll.
  async claimDue (now: number, limit: number): Promise<Job[]> { return this.#queue ? await this.#queue.claimDue(now, limit) : [] }
  async nextDueAt (): Promise<number | undefined> { return this.#queue ? await this.#queue.nextDueAt() : undefined }
  async markDelivered (id: string, result: JobResult, now: number): Promise<void> { await this.#q().markDelivered(id, result, now) }
  async markFailed (id: string, result: JobResult, now: number): Promise<void> { await this.#q().markFailed(id, result, now) }
  async markRetry (id: string, error: string, nextAttemptAt: number, now: number): Promise<void> { await this.#q().markRetry(id, error, nextAttemptAt, now) }
  async release (id: string, reason: string | null, nextAttemptAt: number, now: number): Promise<void> { await this.#q().release(id, reason, nextAttemptAt, now) }
  async markDead (id: string, error: string, now: number): Promise<void> { await this.#q().markDead(id, error, now) }
  // Recovery runs when the queue opens (above); the worker's call at start finds nothing yet.
  async recoverInflight (now: number): Promise<number> { return this.#queue ? await this.#queue.recoverInflight(now) : 0 }
  async list (query: ListQuery): Promise<Job[]> { return await this.#q().list(query) }
  async counts (): Promise<Record<JobState, number>> { return await this.#q().counts() }
  async oldestQueuedAt (): Promise<number | undefined> { return await this.#q().oldestQueuedAt() }
  async retry (id: string, now: number): Promise<Job | undefined> { return await this.#q().retry(id, now) }
  async purgeDead (): Promise<number> { return await this.#q().purgeDead() }
  // The retention sweep is a timer like the worker's poll: no queue yet = nothing to sweep.
  async sweepSettled (settledBefore: number, limit: number): Promise<number> { return this.#queue ? await this.#queue.sweepSettled(settledBefore, limit) : 0 }
  async storeBytes (): Promise<number> { return await this.#q().storeBytes() }

  async close (): Promise<void> {
    this.#closed = true
    if (this.#timer !== undefined) { clearTimeout(this.#timer); this.#timer = undefined }
    await this.#attempt
    await this.#queue?.close()
  }
}
