// The legacy concurrency cap shared by every replica: a permit is a lease in a Redis sorted set
// (member = lease id, score = expiry ms by Redis TIME). Acquire is one Lua call (drop expired
// leases, add ours if fewer than `limit`); held leases are renewed every ttl/3 by one call per
// replica, so a replica that dies (SIGKILL, partition) loses its permits after at most the TTL.
// Callers that find no permit wait in this replica's protection/wait-queue.ts (the same queue
// as the in-process limiter: order, shedding, timeouts) and retry when any replica releases
// (pub/sub wake-up) or at the latest every `pollMs` (a lease that expired publishes nothing).
// Queue timeouts and polls run on the injected clock; lease renewal stays on real timers,
// since leases expire by Redis TIME, which no fake clock moves.
// While degraded the cap is local: maxConcurrency / expectedReplicas.
import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import { systemClock } from '../protection/clock.js'
import type { Clock } from '../protection/clock.js'
import { ConcurrencyLimiter } from '../protection/concurrency-limiter.js'
import type { AcquireOptions, QueueSettings, Release } from '../protection/concurrency-limiter.js'
import { WaitQueue } from '../protection/wait-queue.js'
import type { PermitLimiter } from '../protection/concurrency-limiter.port.js'
import type { DegradedMode } from './degraded-mode.js'
import { perReplica } from './degraded-mode.js'
import { defineSemaphoreScripts } from './redis-semaphore-scripts.js'
import type { SemCommands } from './redis-semaphore-scripts.js'

export interface RedisSemaphoreOptions {
  /** Upstream name (`legacy`); part of the key and of rejection messages. */
  name: string
  maxConcurrency: number
  queue: QueueSettings
  client: Redis
  /** A connection in subscriber mode shared by this replica's semaphores (wake-ups). */
  subscriber: Redis
  degraded: DegradedMode
  keyPrefix: string
  /** `distributed.leaseTtlMs`: how long a dead replica's permits survive. Default 5000. */
  leaseTtlMs?: number
  /** Longest pause between retries of a queued caller, ms. Default 50. */
  pollMs?: number
  /** Queue timeouts and polls; default the system clock. */
  clock?: Clock
  onChange?: (inflight: number, queued: number) => void
}

export class RedisSemaphore implements PermitLimiter {
  readonly name: string
  /** The local cap used while degraded. */
  readonly fallback: ConcurrencyLimiter
  readonly #o: RedisSemaphoreOptions
  readonly #client: Redis & SemCommands
  readonly #key: string
  readonly #channel: string
  readonly #ttl: number
  readonly #replica = randomUUID()
  readonly #held = new Set<string>()
  readonly #clock: Clock
  readonly #queue: WaitQueue<Release>
  #max: number
  #leaseSeq = 0
  #maxSeen = 0
  #pumping = false
  #rewake = false
  #cancelPoll: (() => void) | undefined
  #renewTimer: NodeJS.Timeout | undefined
  readonly #onMessage = (channel: string): void => { if (channel === this.#channel) this.#pump() }
  // Subscribed on every (re)connect: a SUBSCRIBE that failed while Redis was away is not
  // replayed by ioredis. Waiters polled meanwhile, so a late subscription loses nothing.
  readonly #onSubscriberReady = (): void => { this.#subscribe() }

  constructor (options: RedisSemaphoreOptions) {
    if (!(options.maxConcurrency >= 1)) throw new RangeError('maxConcurrency must be >= 1')
    this.name = options.name
    this.#o = options
    this.#max = options.maxConcurrency
    this.#clock = options.clock ?? systemClock
    this.#queue = new WaitQueue({ name: options.name, settings: options.queue, clock: this.#clock, onChange: () => { this.#changed() } })
    this.#client = defineSemaphoreScripts(options.client)
    this.#key = `${options.keyPrefix}sem:${options.name}`
    this.#channel = `${this.#key}:released`
    this.#ttl = options.leaseTtlMs ?? 5000
    this.fallback = new ConcurrencyLimiter({
      name: options.name,
      maxConcurrency: perReplica(options.maxConcurrency, options.degraded.expectedReplicas),
      queue: options.queue,
      clock: this.#clock,
      onChange: () => { this.#changed() }
    })
    options.subscriber.on('message', this.#onMessage)
    options.subscriber.on('ready', this.#onSubscriberReady)
    if (options.subscriber.status === 'ready') this.#subscribe()
  }

  #subscribe (): void {
    this.#o.subscriber.subscribe(this.#channel).catch(() => { /* polling still wakes waiters */ })
  }

  get inflight (): number { return this.#held.size + this.fallback.inflight }
  get queued (): number { return this.#queue.length + this.fallback.queued }
  get limit (): number { return this.#o.degraded.degraded ? this.fallback.limit : this.#max }
  get maxInflightSeen (): number { return Math.max(this.#maxSeen, this.fallback.maxInflightSeen) }
  resetMaxInflightSeen (): void { this.#maxSeen = this.#held.size; this.fallback.resetMaxInflightSeen() }

  /** Live leases of every replica (one Redis call; for metrics and tests). */
  globalInflight (): Promise<number> { return this.#client.gwSemCount(this.#key) }

  reconfigure (maxConcurrency: number, queue: QueueSettings): void {
    if (!(maxConcurrency >= 1)) throw new RangeError('maxConcurrency must be >= 1')
    this.#max = maxConcurrency
    this.fallback.reconfigure(perReplica(maxConcurrency, this.#o.degraded.expectedReplicas), queue)
    this.#queue.reconfigure(queue)
  }

  async acquire (options: AcquireOptions = {}): Promise<Release> {
    const { signal } = options
    if (signal?.aborted) throw signal.reason
    if (this.#o.degraded.degraded) return this.fallback.acquire(options)
    if (this.#queue.length === 0) {
      const granted = await this.#tryAcquire()
      // Redis failed but the replica is not degraded (yet): a local permit now would come on
      // top of the shared cap, so wait in the queue and retry; an outage moves the queue to
      // the local cap (#moveToFallback), a blip costs one poll interval.
      if (granted === 'error' && (this.#o.degraded.degraded || this.#queue.settings.maxSize <= 0)) return this.fallback.acquire(options)
      if (granted !== undefined && granted !== 'error') return granted
    }
    // No queue: the wait rejects at once with `concurrency`.
    const waiting = this.#queue.wait(options)
    this.#schedulePoll()
    return waiting
  }

  /** Stops timers and the subscription; held leases expire by TTL if not released. */
  close (): void {
    this.#cancelPoll?.()
    this.#cancelPoll = undefined
    clearInterval(this.#renewTimer)
    this.#o.subscriber.off('message', this.#onMessage)
    this.#o.subscriber.off('ready', this.#onSubscriberReady)
    this.#o.subscriber.unsubscribe(this.#channel).catch(() => {})
  }

  async #tryAcquire (): Promise<Release | undefined | 'error'> {
    const id = `${this.#replica}:${this.#leaseSeq++}`
    try {
      const ok = await this.#client.gwSemAcquire(this.#key, this.#max, this.#ttl, id)
      return ok === 1 ? this.#grant(id) : undefined
    } catch (err) {
      this.#o.degraded.reportFailure(err)
      return 'error'
    }
  }

  #grant (id: string): Release {
    this.#held.add(id)
    if (this.#held.size > this.#maxSeen) this.#maxSeen = this.#held.size
    if (this.#renewTimer === undefined) {
      this.#renewTimer = setInterval(() => { this.#renew() }, Math.max(10, Math.floor(this.#ttl / 3)))
      this.#renewTimer.unref()
    }
    this.#changed()
    let released = false
    return () => {
      if (released) return
      released = true
      this.#held.delete(id)
      if (this.#held.size === 0) { clearInterval(this.#renewTimer); this.#renewTimer = undefined }
      this.#changed()
      // Not awaited: the caller's response must not wait for the release; a lost release expires.
      this.#client.multi().zrem(this.#key, id).publish(this.#channel, '1').exec()
        .catch((err: unknown) => { this.#o.degraded.reportFailure(err) })
      this.#pump()
    }
  }

  #renew (): void {
    if (this.#held.size === 0) return
    this.#client.gwSemRenew(this.#key, this.#ttl, ...this.#held)
      .catch((err: unknown) => { this.#o.degraded.reportFailure(err) })
  }

  #schedulePoll (): void {
    if (this.#cancelPoll !== undefined || this.#queue.length === 0) return
    this.#cancelPoll = this.#clock.setTimeout(() => { this.#cancelPoll = undefined; this.#pump() }, this.#o.pollMs ?? 50)
  }

  /** Serves queued callers head first, one Redis call at a time, until refused. */
  #pump (): void {
    if (this.#pumping) { this.#rewake = true; return }
    if (this.#queue.length === 0) return
    this.#pumping = true
    this.#drain().catch(() => {}).finally(() => {
      this.#pumping = false
      if (this.#rewake) { this.#rewake = false; this.#pump() } else this.#schedulePoll()
    })
  }

  async #drain (): Promise<void> {
    while (this.#queue.length > 0) {
      if (this.#o.degraded.degraded) { this.#moveToFallback(); return }
      const granted = await this.#tryAcquire()
      if (granted === 'error') { if (this.#o.degraded.degraded) this.#moveToFallback(); return }
      if (granted === undefined) return
      const next = this.#queue.shift()
      if (next === undefined) { granted(); return } // everyone left while we asked: give it back
      this.#changed()
      next.resolve(granted)
    }
  }

  /** Redis failed while callers waited: they queue on the local cap instead (fresh wait). */
  #moveToFallback (): void {
    for (const w of this.#queue.takeAll()) this.fallback.acquire(w.options).then(w.resolve, w.fail)
    this.#changed()
  }

  #changed (): void { this.#o.onChange?.(this.inflight, this.queued) }
}
