// One circuit breaker, synchronous and allocation-free per call: `tryAcquire()` says whether a
// call may go, `succeed()` / `fail()` record how it ended; a call reads no clock. Time comes
// from the injected clock: the rolling window is a ring of counters that one timer per breaker
// rotates every rollingCountTimeoutMs / rollingCountBuckets (opossum's rotation), and an open
// breaker sets one more for its half-open probe.
// The rules are opossum 10's (lib/circuit.js, lib/status.js), which this replaces, so that the
// thresholds operators configured keep their meaning:
// - every call asked about is a fire; a refused one is a fire and a reject (so rejects while
//   open dilute the error rate, as in opossum);
// - a failure opens a closed breaker when fires in the window >= volumeThreshold and
//   failures / fires * 100 > errorThresholdPercentage (strictly above: 50% does not open at 50);
// - after resetTimeoutMs open, half-open: one call goes (the probe), the rest are refused; while
//   half-open the first outcome decides: a success closes with a cleared window (failures from
//   before the outage must not re-open the fresh breaker), a failure re-opens;
// - forced open (admin API) refuses without counting, until forced closed.
import type { Clock } from './clock.js'
import type { BreakerSettings } from './protection.schema.js'

export type CircuitState = 'closed' | 'half-open' | 'open'

export interface CircuitCounts { fires: number, failures: number, successes: number, rejects: number }

// Counter slots per bucket in the ring.
const FIRES = 0
const FAILURES = 1
const SUCCESSES = 2
const REJECTS = 3
const SLOTS = 4

export class CircuitBreaker {
  readonly #settings: BreakerSettings
  readonly #clock: Clock
  readonly #onChange: (to: CircuitState) => void
  readonly #bucketMs: number
  /** Ring of `rollingCountBuckets` buckets of SLOTS counters; `#head` is the current bucket. */
  readonly #ring: Float64Array
  /** Sums over the ring, kept up to date so a failure needs no summing. */
  readonly #totals = new Float64Array(SLOTS)
  #head = 0
  #state: CircuitState = 'closed'
  #probeFree = false
  #forced = false
  #shut = false
  #cancelReset: (() => void) | undefined
  #cancelTick: () => void
  #opens = 0
  #openedAt = 0

  /** `onChange` hears every change of the breaker's own state (not of the forced flag). */
  constructor (settings: BreakerSettings, clock: Clock, onChange: (to: CircuitState) => void = () => {}) {
    this.#settings = settings
    this.#clock = clock
    this.#onChange = onChange
    this.#bucketMs = Math.max(1, Math.floor(settings.rollingCountTimeoutMs / settings.rollingCountBuckets))
    this.#ring = new Float64Array(settings.rollingCountBuckets * SLOTS)
    this.#cancelTick = clock.setTimeout(this.#tick, this.#bucketMs)
  }

  /** The breaker's own state; a forced open shows as `forced`, not here. */
  get state (): CircuitState { return this.#state }
  get forced (): boolean { return this.#forced }
  /** Times the breaker opened on its own (forcing does not count). */
  get opens (): number { return this.#opens }
  /** Clock time of the last open. */
  get openedAt (): number { return this.#openedAt }
  get resetTimeoutMs (): number { return this.#settings.resetTimeoutMs }

  /** Counts over the rolling window. */
  counts (): CircuitCounts {
    const t = this.#totals
    return { fires: t[FIRES] as number, failures: t[FAILURES] as number, successes: t[SUCCESSES] as number, rejects: t[REJECTS] as number }
  }

  /** May a call go? True when closed, or for the one probe when half-open. */
  tryAcquire (): boolean {
    if (this.#forced || this.#shut) return false
    this.#add(FIRES)
    if (this.#state === 'closed') return true
    if (this.#probeFree) {
      this.#probeFree = false
      return true
    }
    this.#add(REJECTS)
    return false
  }

  succeed (): void {
    if (this.#shut) return
    this.#add(SUCCESSES)
    if (this.#state === 'half-open') this.#close()
  }

  fail (): void {
    if (this.#shut) return
    this.#add(FAILURES)
    if (this.#state === 'half-open') {
      this.#open()
      return
    }
    if (this.#state === 'open') return
    const t = this.#totals
    const fires = t[FIRES] as number
    if (fires < this.#settings.volumeThreshold) return
    // opossum's expression, float for float: the edge cases open (or not) exactly as before.
    if ((t[FAILURES] as number) / fires * 100 > this.#settings.errorThresholdPercentage) this.#open()
  }

  forceOpen (): void { this.#forced = true }

  /** Clears a forced open and closes with a fresh window, whatever the state was. */
  forceClose (): void {
    this.#forced = false
    this.#clear()
    this.#close()
  }

  /** Stops both timers; outcomes arriving later are ignored and nothing is let through. */
  shutdown (): void {
    this.#shut = true
    this.#cancelTick()
    this.#cancelReset?.()
    this.#cancelReset = undefined
  }

  #open (): void {
    this.#state = 'open'
    this.#probeFree = false
    this.#opens++
    this.#openedAt = this.#clock.now()
    this.#cancelReset = this.#clock.setTimeout(() => { this.#halfOpen() }, this.#settings.resetTimeoutMs)
    this.#onChange('open')
  }

  #halfOpen (): void {
    this.#cancelReset = undefined
    this.#state = 'half-open'
    this.#probeFree = true
    this.#onChange('half-open')
  }

  #close (): void {
    if (this.#state === 'closed') return
    this.#cancelReset?.()
    this.#cancelReset = undefined
    this.#state = 'closed'
    this.#probeFree = false
    this.#clear()
    this.#onChange('closed')
  }

  #add (slot: number): void {
    const i = this.#head * SLOTS + slot
    this.#ring[i] = (this.#ring[i] as number) + 1
    this.#totals[slot] = (this.#totals[slot] as number) + 1
  }

  /** Moves to the next bucket, dropping the oldest, and arms the next tick. */
  readonly #tick = (): void => {
    const buckets = this.#settings.rollingCountBuckets
    this.#head = (this.#head + 1) % buckets
    const base = this.#head * SLOTS
    for (let slot = 0; slot < SLOTS; slot++) {
      this.#totals[slot] = (this.#totals[slot] as number) - (this.#ring[base + slot] as number)
      this.#ring[base + slot] = 0
    }
    this.#cancelTick = this.#clock.setTimeout(this.#tick, this.#bucketMs)
  }

  #clear (): void {
    this.#ring.fill(0)
    this.#totals.fill(0)
  }
}
