// Asynchronous (`Event`) invocations of one function. Lambda accepts them with 202 and keeps them
// in an internal queue; they run when the function has a free concurrency slot, so reserved
// concurrency throttles the queue, not the caller. Locally the queue is bounded: past `limit`
// waiting events the caller does get TooManyRequestsException, rather than unbounded memory.
import type { FunctionPool } from './function-pool.js'

export interface QueuedEvent { requestId: string, event: string, traceHeader: string }

export class EventQueue {
  private readonly waiting: QueuedEvent[] = []
  private readonly running = new Set<Promise<unknown>>()
  private closed = false

  constructor (
    private readonly pool: FunctionPool,
    private readonly limit: number,
    private readonly onError: (err: unknown) => void
  ) {
    // Every freed slot gives the oldest waiting event its turn.
    pool.onSlotFreed = () => { this.drain() }
  }

  get depth (): number {
    return this.waiting.length
  }

  /** False when the queue is full (or closed): the caller answers 429. */
  offer (item: QueuedEvent): boolean {
    if (this.closed || this.waiting.length >= this.limit) return false
    this.waiting.push(item)
    this.drain()
    return true
  }

  /** Drops what has not started and waits for what has. */
  async close (): Promise<void> {
    this.closed = true
    this.waiting.length = 0
    await Promise.allSettled([...this.running])
  }

  private drain (): void {
    while (this.waiting.length > 0 && this.pool.tryReserve()) {
      const next = this.waiting.shift()!
      const run = this.pool.run(next.requestId, next.event, next.traceHeader).catch(this.onError)
      this.running.add(run)
      run.finally(() => this.running.delete(run)).catch(() => {})
    }
  }
}
