// Circuit breakers by name (`legacy`, `lambda:Users-DEV`, `legacy:route:<id>`), each one a
// CircuitBreaker (circuit-breaker.ts: opossum's rules, synchronous). Two ways in: admit() + the
// ticket's end(outcome) for the hot path (no promise, nothing allocated per call), and run()
// around a function, built on them. What the breaker deliberately does not do: no capacity
// (the concurrency limiter does that), no timeout (the targets enforce their own and report
// them as errors), no latency percentiles.
import { Value } from '@sinclair/typebox/value'
import { CircuitBreaker } from './circuit-breaker.js'
import type { Clock } from './clock.js'
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
  /** Wall-clock ms for Retry-After and lastChangeAt. Default Date.now. */
  now?: () => number
  /** Instead of `now`: the clock and timers of every breaker (tests drive time by hand). Default: `now` with unref'd timers. */
  clock?: Clock
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

/** One admitted call; `end()` for success, `end(err)` with the outcome otherwise. Call it once. */
export interface BreakerTicket {
  end: (error?: unknown) => void
}

const NO_OPTIONS: BreakerOptions = Object.freeze({})

/** Timers of the default clock are unref'd: an open breaker must not keep the process alive. */
function unrefTimeout (fn: () => void, ms: number): () => void {
  const timer = setTimeout(fn, ms)
  timer.unref()
  return () => { clearTimeout(timer) }
}

/** A breaker and its bookkeeping; it is also the ticket admit() hands out (nothing per call). */
class Entry implements BreakerTicket {
  readonly breaker: CircuitBreaker
  reported: BreakerState = 'closed'
  lastChangeAt: number | null = null
  readonly #isFailure: (err: unknown) => boolean

  constructor (settings: BreakerSettings, clock: Clock, isFailure: (err: unknown) => boolean, onChange: () => void) {
    this.breaker = new CircuitBreaker(settings, clock, onChange)
    this.#isFailure = isFailure
  }

  end (error?: unknown): void {
    if (error === undefined) { this.breaker.succeed(); return }
    // An aborted half-open probe proves nothing about health, so it re-opens rather than
    // closes (conservative for the upstream we protect).
    if (this.#isFailure(error) || (this.breaker.state === 'half-open' && isAbortError(error))) this.breaker.fail()
    else this.breaker.succeed()
  }

  get effective (): BreakerState { return this.breaker.forced ? 'open' : this.breaker.state }
}

export class BreakerRegistry {
  readonly #entries = new Map<string, Entry>()
  readonly #listeners = new Set<(change: BreakerStateChange) => void>()
  readonly #isFailure: (err: unknown) => boolean
  readonly #logger: BreakerLogger | undefined
  readonly #clock: Clock

  constructor (options: BreakerRegistryOptions = {}) {
    this.#isFailure = options.isFailure ?? isBreakerFailure
    this.#logger = options.logger
    this.#clock = options.clock ?? { now: options.now ?? Date.now, setTimeout: unrefTimeout }
  }

  /** Subscribes to effective state changes; returns an unsubscribe function. */
  onStateChange (listener: (change: BreakerStateChange) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  has (name: string): boolean { return this.#entries.has(name) }

  /** Creates the breaker on first use; later options for an existing name are ignored. */
  get (name: string, options: BreakerOptions = NO_OPTIONS): BreakerInfo {
    return this.#info(name, this.#entry(name, options))
  }

  state (name: string): BreakerState {
    return this.#entries.get(name)?.effective ?? 'closed'
  }

  /** Seconds until an open breaker lets a probe through (>= 1). */
  retryAfterSeconds (name: string): number {
    const breaker = this.#entries.get(name)?.breaker
    if (!breaker || breaker.forced) return toRetryAfterSeconds(breaker?.resetTimeoutMs ?? 1000)
    return toRetryAfterSeconds(breaker.resetTimeoutMs - (this.#clock.now() - breaker.openedAt))
  }

  /**
   * Asks breaker `name` to let one call through: a ticket whose `end(outcome?)` records how the
   * call ended, or undefined when the breaker refuses (open, forced open, half-open with its
   * probe already out). Synchronous: the hot path's way in.
   */
  admit (name: string, options: BreakerOptions = NO_OPTIONS): BreakerTicket | undefined {
    const entry = this.#entries.get(name) ?? this.#entry(name, options)
    return entry.breaker.tryAcquire() ? entry : undefined
  }

  /** Runs `fn` through breaker `name`; an open breaker rejects with a typed BreakerOpenError. */
  async run<T> (name: string, fn: () => Promise<T>, options: BreakerOptions = NO_OPTIONS): Promise<T> {
    const ticket = this.admit(name, options)
    if (ticket === undefined) throw rejections.breakerOpen(name, this.retryAfterSeconds(name))
    let value: T
    try {
      value = await fn()
    } catch (err) {
      ticket.end(err)
      throw err
    }
    ticket.end()
    return value
  }

  forceOpen (name: string): BreakerInfo {
    const entry = this.#entry(name, NO_OPTIONS)
    entry.breaker.forceOpen()
    this.#report(name, entry, true)
    return this.#info(name, entry)
  }

  /** Clears a forced open and closes the breaker (fresh window). */
  forceClose (name: string): BreakerInfo {
    const entry = this.#entry(name, NO_OPTIONS)
    entry.breaker.forceClose()
    this.#report(name, entry, true)
    return this.#info(name, entry)
  }

  list (): BreakerInfo[] {
    return [...this.#entries].map(([name, entry]) => this.#info(name, entry))
  }

  /** Stops every breaker's timers (Fastify onClose); tickets still out end without effect. */
  close (): void {
    for (const entry of this.#entries.values()) entry.breaker.shutdown()
    this.#entries.clear()
  }

  #entry (name: string, partial: BreakerOptions): Entry {
    const existing = this.#entries.get(name)
    if (existing) return existing
    const settings: BreakerSettings = { ...BREAKER_DEFAULTS, ...partial }
    // Forced changes are reported by forceOpen/forceClose themselves (forced: true).
    const entry: Entry = new Entry(settings, this.#clock, this.#isFailure, () => { this.#report(name, entry, false) })
    this.#entries.set(name, entry)
    return entry
  }

  /** Emits and logs a change once, only when the effective state really changed. */
  #report (name: string, entry: Entry, forced: boolean): void {
    const to = entry.effective
    const from = entry.reported
    if (to === from) return
    entry.reported = to
    entry.lastChangeAt = this.#clock.now()
    const change: BreakerStateChange = { name, from, to, forced }
    this.#logger?.[to === 'closed' ? 'info' : 'warn']({ breaker: name, from, to, forced }, `breaker ${name} ${to}`)
    for (const listener of this.#listeners) listener(change)
  }

  #info (name: string, entry: Entry): BreakerInfo {
    const state = entry.effective
    return {
      name,
      state,
      stateValue: BREAKER_STATE_VALUE[state],
      forced: entry.breaker.forced ? 'open' : null,
      stats: entry.breaker.counts(),
      opens: entry.breaker.opens,
      lastChangeAt: entry.lastChangeAt === null ? null : new Date(entry.lastChangeAt).toISOString()
    }
  }
}
