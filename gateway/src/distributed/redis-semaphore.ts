// The legacy concurrency cap shared by every replica: a permit is a lease in a Redis sorted set
// (member = lease id, score = expiry ms by Redis TIME). Acquire is one Lua call (drop expired
// leases, add ours if fewer than `limit`); held leases are renewed every ttl/3 by one call per
// replica, so a replica that dies (SIGKILL, partition) loses its permits after at most the TTL.
// Callers that find no permit wait in a bounded local priority queue (same order and rejections
// as protection/concurrency-limiter.ts) and retry when any replica releases (pub/sub wake-up)
// or at the latest every `pollMs` (a lease that expired publishes nothing).
// While degraded the cap is local: maxConcurrency / expectedReplicas.
import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import { ConcurrencyLimiter } from '../protection/concurrency-limiter.js'
import type { AcquireOptions, PriorityClass, QueueSettings, Release } from '../protection/concurrency-limiter.js'
import { rejections } from '../protection/rejection.js'
import type { PermitLimiter } from '../protection/concurrency-limiter.port.js'
import type { DegradedMode } from './degraded-mode.js'
import { perReplica } from './degraded-mode.js'

const NOW = "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) "
// KEYS[1] zset; ARGV limit, ttlMs, leaseId -> 1 granted, 0 full
const ACQUIRE = NOW + `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], 2 * tonumber(ARGV[2]))
  return 1
end
return 0`
// KEYS[1] zset; ARGV ttlMs, leaseIds... -> leases still held (an expired one is not revived)
const RENEW = NOW + `
local kept = 0
for i = 2, #ARGV do
  local s = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if s and tonumber(s) > now then
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i])
    kept = kept + 1
  end
end
redis.call('PEXPIRE', KEYS[1], 2 * tonumber(ARGV[1]))
return kept`
// KEYS[1] zset -> live leases of all replicas
const COUNT = NOW + "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now) return redis.call('ZCARD', KEYS[1])"

interface SemCommands {
  gwSemAcquire: (key: string, limit: number, ttlMs: number, id: string) => Promise<number>
  gwSemRenew: (key: string, ttlMs: number, ...ids: string[]) => Promise<number>
  gwSemCount: (key: string) => Promise<number>
}

function defineSemaphoreScripts (client: Redis): Redis & SemCommands {
  const c = client as Redis & Partial<SemCommands>
  if (c.gwSemAcquire === undefined) {
    client.defineCommand('gwSemAcquire', { numberOfKeys: 1, lua: ACQUIRE })
    client.defineCommand('gwSemRenew', { numberOfKeys: 1, lua: RENEW })
    client.defineCommand('gwSemCount', { numberOfKeys: 1, lua: COUNT })
  }
  return c as Redis & SemCommands
}

const CLASS_RANK: Record<PriorityClass, number> = { live: 0, retry: 1, shadow: 2 }

interface Waiter {
  rank: number
  priority: number
  seq: number
  options: AcquireOptions
  resolve: (r: Release) => void
  fail: (e: unknown) => void
  cleanup: () => void
}
const compare = (a: Waiter, b: Waiter): number => (a.rank - b.rank) || (b.priority - a.priority) || (a.seq - b.seq)

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
  readonly #queue: Waiter[] = []
  #max: number
  #queueSettings: QueueSettings
  #seq = 0
  #leaseSeq = 0
  #maxSeen = 0
  #pumping = false
  #rewake = false
  #pollTimer: NodeJS.Timeout | undefined
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
    this.#queueSettings = { ...options.queue }
    this.#client = defineSemaphoreScripts(options.client)
    this.#key = `${options.keyPrefix}sem:${options.name}`
    this.#channel = `${this.#key}:released`
    this.#ttl = options.leaseTtlMs ?? 5000
    this.fallback = new ConcurrencyLimiter({
      name: options.name,
      maxConcurrency: perReplica(options.maxConcurrency, options.degraded.expectedReplicas),
      queue: options.queue,
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
    this.#queueSettings = { ...queue }
    this.fallback.reconfigure(perReplica(maxConcurrency, this.#o.degraded.expectedReplicas), queue)
    for (let w = this.#queue.at(-1); w && this.#queue.length > queue.maxSize; w = this.#queue.at(-1)) {
      this.#remove(w)
      w.fail(rejections.queueFull(this.name))
    }
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
      if (granted === 'error' && (this.#o.degraded.degraded || this.#queueSettings.maxSize <= 0)) return this.fallback.acquire(options)
      if (granted !== undefined && granted !== 'error') return granted
    }
    if (this.#queueSettings.maxSize <= 0) throw rejections.concurrency(this.name)
    return this.#enqueue(options)
  }

  /** Stops timers and the subscription; held leases expire by TTL if not released. */
  close (): void {
    clearTimeout(this.#pollTimer)
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

  #enqueue (options: AcquireOptions): Promise<Release> {
    const { signal } = options
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = { rank: CLASS_RANK[options.priorityClass ?? 'live'], priority: options.priority ?? 0, seq: this.#seq++, options, resolve, fail: reject, cleanup: () => {} }
      if (this.#queue.length >= this.#queueSettings.maxSize) {
        const lowest = this.#queue.at(-1)
        if (!lowest || compare(waiter, lowest) >= 0) { reject(rejections.queueFull(this.name)); return }
        this.#remove(lowest)
        lowest.fail(rejections.queueFull(this.name))
      }
      const waitMs = this.#queueSettings.maxWaitMs
      const timer = setTimeout(() => { this.#remove(waiter); reject(rejections.queueTimeout(this.name, waitMs)) }, waitMs)
      const onAbort = (): void => { this.#remove(waiter); reject(signal?.reason) }
      signal?.addEventListener('abort', onAbort, { once: true })
      waiter.cleanup = () => { clearTimeout(timer); signal?.removeEventListener('abort', onAbort) }
      const at = this.#queue.findIndex(w => compare(waiter, w) < 0)
      this.#queue.splice(at === -1 ? this.#queue.length : at, 0, waiter)
      this.#changed()
      this.#schedulePoll()
    })
  }

  #remove (w: Waiter): void {
    w.cleanup()
    const i = this.#queue.indexOf(w)
    if (i !== -1) { this.#queue.splice(i, 1); this.#changed() }
  }

  #schedulePoll (): void {
    if (this.#pollTimer !== undefined || this.#queue.length === 0) return
    this.#pollTimer = setTimeout(() => { this.#pollTimer = undefined; this.#pump() }, this.#o.pollMs ?? 50)
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
    for (let head = this.#queue[0]; head !== undefined; head = this.#queue[0]) {
      if (this.#o.degraded.degraded) { this.#moveToFallback(); return }
      const granted = await this.#tryAcquire()
      if (granted === 'error') { if (this.#o.degraded.degraded) this.#moveToFallback(); return }
      if (granted === undefined) return
      const next = this.#queue[0]
      if (next === undefined) { granted(); return } // everyone left while we asked: give it back
      this.#remove(next)
      next.resolve(granted)
    }
  }

  /** Redis failed while callers waited: they queue on the local cap instead (fresh wait). */
  #moveToFallback (): void {
    for (const w of this.#queue.splice(0)) {
      w.cleanup()
      this.fallback.acquire(w.options).then(w.resolve, w.fail)
    }
    this.#changed()
  }

  #changed (): void { this.#o.onChange?.(this.inflight, this.queued) }
}
