// Retention of settled jobs (async.retention): every `sweepIntervalMs` the sweeper deletes
// delivered and failed jobs that settled more than `settledMs` ago, in steps of `batchSize` —
// one short transaction (SQLite) or Lua script (Redis) each — and pauses between steps for twice
// as long as the step took (at least 1 ms, at most 100): pending intakes, status reads and
// deliveries run first, and the sweep takes at most about a third of the event loop (or of Redis)
// while it drains a backlog. A backlog of any size therefore never holds an intake for longer than one
// step; one big DELETE would hold it for the whole backlog
// (test/integration/async-retention-sweep-100k-*.test.ts). Dead jobs are never swept: they are
// the operator's to look at (gatewayctl jobs purge-dead).
import { setTimeout as sleep } from 'node:timers/promises'
import type { JobQueue } from './job-queue.port.js'
import type { RetentionConfig } from './async.schema.js'

export interface RetentionSweeperOptions {
  queue: Pick<JobQueue, 'sweepSettled'>
  retention: RetentionConfig
  now?: () => number
  /** Called after each step that deleted something (gateway_async_swept_total). */
  onSwept?: (n: number) => void
  logger?: { warn: (obj: object, msg: string) => void }
}

export class RetentionSweeper {
  readonly #o: RetentionSweeperOptions
  readonly #now: () => number
  #timer: NodeJS.Timeout | undefined
  #running: Promise<number> | undefined
  #stopped = false

  constructor (options: RetentionSweeperOptions) {
    this.#o = options
    this.#now = options.now ?? Date.now
  }

  /** Sweeps once now, then every sweepIntervalMs until stop(). The timer does not keep the process alive. */
  start (): void {
    if (this.#timer !== undefined || this.#stopped) return
    this.#timer = setInterval(() => { this.#tick() }, this.#o.retention.sweepIntervalMs)
    this.#timer.unref()
    this.#tick()
  }

  #tick (): void {
    if (this.#running !== undefined) return // the last sweep is still draining a backlog
    this.sweep().catch(err => {
      this.#o.logger?.warn({ err: (err as Error).message }, 'async: retention sweep failed; retried on the next tick')
    })
  }

  /** One sweep: steps until a step deletes fewer than batchSize (the backlog is gone) or stop(). Returns how many. */
  sweep (): Promise<number> {
    this.#running ??= this.#sweep().finally(() => { this.#running = undefined })
    return this.#running
  }

  async #sweep (): Promise<number> {
    const { settledMs, batchSize } = this.#o.retention
    const before = this.#now() - settledMs
    let total = 0
    while (!this.#stopped) {
      const start = performance.now()
      const n = await this.#o.queue.sweepSettled(before, batchSize)
      total += n
      if (n > 0) this.#o.onSwept?.(n)
      if (n < batchSize) break
      await sleep(Math.min(100, Math.max(1, 2 * (performance.now() - start))))
    }
    return total
  }

  /** Stops the timer and waits for a step in progress (the queue closes after it). */
  async stop (): Promise<void> {
    this.#stopped = true
    if (this.#timer !== undefined) { clearInterval(this.#timer); this.#timer = undefined }
    await this.#running?.catch(() => {})
  }
}
