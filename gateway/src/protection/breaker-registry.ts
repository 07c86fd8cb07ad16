// Circuit breakers by name (`legacy`, `lambda:Users-DEV`, `legacy:route:<id>`), with opossum
// kept behind this interface (STYLE: @types/opossum lags the runtime). Choices that avoid
// opossum's traps:
// - no `capacity`: the concurrency limiter does that, and opossum would count its own
//   semaphore rejections as failures;
// - no AbortController: opossum shares one across all calls and aborts them all on one timeout;
// - `timeout: false`: the targets enforce their own timeouts and report them as errors;
// - `rollingPercentilesEnabled: false`: otherwise every failure sorts all latency samples;
// - we rotate the rolling window ourselves (rotateBucketController) so closing the breaker can
//   clear it: stale failures from before the outage must not re-open a freshly closed breaker.
// Half-open: opossum lets exactly one call through (its PENDING_CLOSE flag), the rest are
// rejected as open; the probe's success closes, its failure re-opens.
import { EventEmitter } from 'node:events'
import CircuitBreaker from 'opossum'
import { Value } from '@sinclair/typebox/value'
import { BreakerSchema } from './protection.schema.js'
import type { BreakerSettings } from './protection.schema.js'
import { isAbortError, isProtectionRejection, rejections, toRetryAfterSeconds } from './rejection.js'

export type BreakerState = 'closed' | 'half-open' | 'open'
/** `gateway_breaker_state` values. */
export const BREAKER_STATE_VALUE: Record<BreakerState, 0 | 1 | 2> = { closed: 0, 'half-open': 1, open: 2 }

/** Breaker settings (schema: protection.schema.ts); a field left out takes the schema's default. */
export type BreakerOptions = Partial<BreakerSettings>
const BREAKER_DEFAULTS: BreakerSettings = Value.Default(BreakerSchema, {}) as BreakerSettings

export interface BreakerStats { fires: number, failures: number, successes: number, rejects: number }

export interface BreakerInfo {
  name: string
  state: BreakerState
  stateValue: 0 | 1 | 2
  /** 'open' when forced through the admin API: stays open until forced closed. */
  forced: 'open' | null
  stats: BreakerStats
  opens: number
  lastChangeAt: string | null
}

export interface BreakerStateChange { name: string, from: BreakerState, to: BreakerState, forced: boolean }

/** pino-compatible subset. */
export interface BreakerLogger {
  warn: (obj: Record<string, unknown>, msg: string) => void
  info: (obj: Record<string, unknown>, msg: string) => void
}

export interface BreakerRegistryOptions {
  /** Counts an error as a breaker failure. Default: `isBreakerFailure`. */
  isFailure?: (err: unknown) => boolean
  logger?: BreakerLogger
  now?: () => number
}

/**
 * Default failure test: upstream 5xx, timeouts, network errors. Not failures: our own
 * rejections (rate limit, shed, throttle, open breaker), client aborts and upstream 4xx.
 */
export function isBreakerFailure (err: unknown): boolean {
  if (isProtectionRejection(err) || isAbortError(err)) return false
  const status = (err as { statusCode?: unknown } | null)?.statusCode
  return !(typeof status === 'number' && status >= 400 && status < 500)
}

interface Entry {
  cb: CircuitBreaker<[() => Promise<unknown>], unknown>
  rotate: EventEmitter
  rotateTimer: NodeJS.Timeout
  resetTimeoutMs: number
  buckets: number
  forced: 'open' | null
  reported: BreakerState
  opens: number
  openedAt: number
  lastChangeAt: number | null
}

export class BreakerRegistry {
  readonly #entries = new Map<string, Entry>()
  readonly #listeners = new Set<(change: BreakerStateChange) => void>()
  readonly #isFailure: (err: unknown) => boolean
  readonly #logger: BreakerLogger | undefined
  readonly #now: () => number

  constructor (options: BreakerRegistryOptions = {}) {
    this.#isFailure = options.isFailure ?? isBreakerFailure
    this.#logger = options.logger
    this.#now = options.now ?? Date.now
  }

  /** Subscribes to effective state changes; returns an unsubscribe function. */
  onStateChange (listener: (change: BreakerStateChange) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  has (name: string): boolean { return this.#entries.has(name) }

  /** Creates the breaker on first use; later options for an existing name are ignored. */
  get (name: string, options: BreakerOptions = {}): BreakerInfo {
    return this.#info(name, this.#entry(name, options))
  }

  state (name: string): BreakerState {
    const entry = this.#entries.get(name)
    return entry ? this.#effective(entry) : 'closed'
  }

  /** Seconds until an open breaker lets a probe through (>= 1). */
  retryAfterSeconds (name: string): number {
    const entry = this.#entries.get(name)
    if (!entry || entry.forced === 'open') return toRetryAfterSeconds(entry?.resetTimeoutMs ?? 1000)
    return toRetryAfterSeconds(entry.resetTimeoutMs - (this.#now() - entry.openedAt))
  }

  /** Runs `fn` through breaker `name`; an open breaker rejects with a typed BreakerOpenError. */
  async run<T> (name: string, fn: () => Promise<T>, options: BreakerOptions = {}): Promise<T> {
    const entry = this.#entry(name, options)
    if (entry.forced === 'open') throw rejections.breakerOpen(name, this.retryAfterSeconds(name))
    try {
      return await entry.cb.fire(fn) as T
    } catch (err) {
      const code = (err as { code?: unknown } | null)?.code
      if (code === 'EOPENBREAKER' || code === 'ESHUTDOWN') throw rejections.breakerOpen(name, this.retryAfterSeconds(name))
      throw err
    }
  }

  forceOpen (name: string): BreakerInfo {
    const entry = this.#entry(name, {})
    entry.forced = 'open'
    this.#report(name, entry, true)
    return this.#info(name, entry)
  }

  /** Clears a forced open and closes the breaker (fresh window). */
  forceClose (name: string): BreakerInfo {
    const entry = this.#entry(name, {})
    entry.forced = null
    entry.cb.close()
    this.#report(name, entry, true)
    return this.#info(name, entry)
  }

  list (): BreakerInfo[] {
    return [...this.#entries].map(([name, entry]) => this.#info(name, entry))
  }

  /** Stops every breaker's timers (Fastify onClose). */
  close (): void {
    for (const entry of this.#entries.values()) {
      clearInterval(entry.rotateTimer)
      entry.cb.shutdown()
    }
    this.#entries.clear()
  }

  #entry (name: string, partial: BreakerOptions): Entry {
    const existing = this.#entries.get(name)
    if (existing) return existing
    const options: BreakerSettings = { ...BREAKER_DEFAULTS, ...partial }
    const rollingCountTimeout = options.rollingCountTimeoutMs
    const buckets = options.rollingCountBuckets
    const rotate = new EventEmitter()
    const rotateTimer = setInterval(() => rotate.emit('rotate'), Math.max(1, Math.floor(rollingCountTimeout / buckets)))
    rotateTimer.unref()
    const cb: CircuitBreaker<[() => Promise<unknown>], unknown> = new CircuitBreaker((fn: () => Promise<unknown>) => fn(), {
      name,
      timeout: false,
      errorThresholdPercentage: options.errorThresholdPercentage,
      volumeThreshold: options.volumeThreshold,
      resetTimeout: options.resetTimeoutMs,
      rollingCountTimeout,
      rollingCountBuckets: buckets,
      rollingPercentilesEnabled: false,
      enableSnapshots: false,
      rotateBucketController: rotate,
      // true = "not a failure". An aborted half-open probe proves nothing about health, so it
      // re-opens rather than closes (conservative for the upstream we protect).
      errorFilter: (err: unknown): boolean => !(this.#isFailure(err) || (cb.halfOpen && isAbortError(err)))
    })
    const entry: Entry = {
      cb,
      rotate,
      rotateTimer,
      buckets,
      resetTimeoutMs: options.resetTimeoutMs,
      forced: null,
      reported: 'closed',
      opens: 0,
      openedAt: 0,
      lastChangeAt: null
    }
    cb.on('open', () => {
      entry.opens++
      entry.openedAt = this.#now()
      this.#report(name, entry, false)
    })
    cb.on('halfOpen', () => this.#report(name, entry, false))
    cb.on('close', () => {
      for (let i = 0; i < entry.buckets; i++) entry.rotate.emit('rotate')
      this.#report(name, entry, false)
    })
    this.#entries.set(name, entry)
    return entry
  }

  #effective (entry: Entry): BreakerState {
    if (entry.forced === 'open' || entry.cb.opened) return 'open'
    return entry.cb.halfOpen ? 'half-open' : 'closed'
  }

  /** Emits and logs a change once, only when the effective state really changed. */
  #report (name: string, entry: Entry, forced: boolean): void {
    const to = this.#effective(entry)
    const from = entry.reported
    if (to === from) return
    entry.reported = to
    entry.lastChangeAt = this.#now()
    const change: BreakerStateChange = { name, from, to, forced }
    this.#logger?.[to === 'closed' ? 'info' : 'warn']({ breaker: name, from, to, forced }, `breaker ${name} ${to}`)
    for (const listener of this.#listeners) listener(change)
  }

  #info (name: string, entry: Entry): BreakerInfo {
    const s = entry.cb.stats
    const state = this.#effective(entry)
    return {
      name,
      state,
      stateValue: BREAKER_STATE_VALUE[state],
      forced: entry.forced,
      stats: { fires: s.fires, failures: s.failures, successes: s.successes, rejects: s.rejects },
      opens: entry.opens,
      lastChangeAt: entry.lastChangeAt === null ? null : new Date(entry.lastChangeAt).toISOString()
    }
  }
}
