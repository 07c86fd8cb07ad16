// Health of the shared state as the request path sees it. Healthy: adapters ask Redis. Degraded
// (a command failed or timed out, or the connection dropped): adapters skip Redis entirely and
// use local limits divided by the expected replica count, so an outage costs requests nothing.
// The change is logged once per episode and reported to `onDegradedChange` listeners (metric)
// and `ready` (readiness). A probe (PING within the timeout) ends the episode.
import type { Redis } from 'ioredis'

export interface DegradedLogger {
  warn: (obj: object, msg: string) => void
  info: (obj: object, msg: string) => void
}

export interface DegradedModeOptions {
  client: Redis
  /** `distributed.expectedReplicas`: local limits are divided by it while degraded. */
  expectedReplicas: number
  logger?: DegradedLogger
  /** How often a degraded replica probes Redis, ms. Default 500. */
  probeIntervalMs?: number
  /** PINGs failed in a row (while connected) that start an episode. Default 3 (~3 × the timeout); 0 = at once. */
  confirmFailures?: number
  /** Why the client is not connected at construction (the failed first connect), for the log. */
  startCause?: unknown
}

export type DegradedListener = (degraded: boolean, cause?: string) => void

export class DegradedMode {
  readonly expectedReplicas: number
  readonly #client: Redis
  readonly #logger: DegradedLogger | undefined
  readonly #probeMs: number
  readonly #listeners = new Set<DegradedListener>()
  #degraded = false
  #cause: string | undefined
  #episodes = 0
  #timer: NodeJS.Timeout | undefined
  #probing = false
  #closed = false
  #confirming = false
  readonly #confirmFailures: number
  readonly #onClose = (): void => { this.reportFailure(new Error('redis connection closed')) }
  readonly #onReady = (): void => { this.probe().catch(() => {}) }

  constructor (options: DegradedModeOptions) {
    if (!(options.expectedReplicas >= 1)) throw new RangeError('expectedReplicas must be >= 1')
    this.expectedReplicas = options.expectedReplicas
    this.#client = options.client
    this.#logger = options.logger
    this.#probeMs = options.probeIntervalMs ?? 500
    this.#confirmFailures = options.confirmFailures ?? 3
    // A dropped connection is known before any command fails: degrade at once.
    this.#client.on('close', this.#onClose)
    // Reconnected: probe now rather than on the next tick of the timer.
    this.#client.on('ready', this.#onReady)
    if (this.#client.status !== 'ready') this.reportFailure(options.startCause ?? new Error(`redis not connected (${this.#client.status})`))
  }

  /** True while requests use local fallbacks. */
  get degraded (): boolean { return this.#degraded }
  /** Readiness: shared state in use. */
  get ready (): boolean { return !this.#degraded }
  /** Why the current episode began (undefined while healthy). */
  get cause (): string | undefined { return this.#degraded ? this.#cause : undefined }
  /** Episodes since start (each logged once). */
  get episodes (): number { return this.#episodes }

  /** Metric hook: called on every change (true = degraded). Returns unsubscribe. */
  onDegradedChange (listener: DegradedListener): () => void {
    this.#listeners.add(listener)
    return () => { this.#listeners.delete(listener) }
  }

  /**
   * An adapter's Redis call failed (error, timeout, not connected). Idempotent within an episode.
   * Connection lost: degraded at once. Connection up (a timeout — on a loaded host often our own
   * event-loop lag, not Redis): a suspicion, checked by PINGs one after the other;
   * `confirmFailures` failed PINGs in a row start the episode, one answered PING clears it.
   * Concurrent failures of many commands (one stall times them all out) count once. So a stall
   * does not switch the replica to local limits, which would come on top of the shared permits.
   */
  reportFailure (err: unknown): void {
    if (this.#closed || this.#degraded) return
    if (this.#client.status === 'ready' && this.#confirmFailures > 0) {
      if (!this.#confirming) {
        this.#confirming = true
        this.#confirm(err).catch(() => {})
      }
      return
    }
    this.#enter(err)
  }

  async #confirm (err: unknown): Promise<void> {
    for (let failed = 0; failed < this.#confirmFailures; failed++) {
      if (this.#closed || this.#degraded) break
      try {
        await this.#client.ping()
        this.#confirming = false
        return
      } catch (e) {
        err = e
      }
    }
    this.#confirming = false
    this.#enter(err)
  }

  #enter (err: unknown): void {
    if (this.#closed || this.#degraded) return
    this.#degraded = true
    this.#episodes++
    const cause = err instanceof Error ? err.message : String(err)
    this.#cause = cause
    this.#logger?.warn({ distributed: 'degraded', cause, expectedReplicas: this.expectedReplicas },
      'redis unavailable: serving with local limits divided by the expected replica count')
    this.#emit(true, cause)
    this.#timer = setInterval(() => { this.probe().catch(() => {}) }, this.#probeMs)
    this.#timer.unref()
  }

  /** One PING; ends the episode when it answers in time. Resolves true when healthy. */
  async probe (): Promise<boolean> {
    if (!this.#degraded) return true
    if (this.#probing || this.#client.status !== 'ready') return false
    this.#probing = true
    try {
      await this.#client.ping()
    } catch {
      return false
    } finally {
      this.#probing = false
    }
    if (this.#closed || !this.#degraded) return !this.#closed
    clearInterval(this.#timer)
    this.#timer = undefined
    this.#degraded = false
    this.#logger?.info({ distributed: 'recovered' }, 'redis back: shared limits and state in use again')
    this.#emit(false)
    return true
  }

  /** Stops probing and listening; the instance stays in its last state. */
  close (): void {
    this.#closed = true
    clearInterval(this.#timer)
    this.#client.off('close', this.#onClose)
    this.#client.off('ready', this.#onReady)
  }

  #emit (degraded: boolean, cause?: string): void {
    for (const l of this.#listeners) {
      try { l(degraded, cause) } catch { /* a metric hook's bug must not break the request path */ }
    }
  }
}

/** Divides a local limit for one of `replicas` replicas, never below `min`. */
export function perReplica (value: number, replicas: number, min = 1): number {
  return Math.max(min, Math.floor(value / replicas))
}
