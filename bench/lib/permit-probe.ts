// Bench-only: where the gateway's legacy permits spend their time, for burst-shield's breakdown of
// legacy's idle workers. Attached in the gateway child (BENCH_PERMIT_PROBE=<workers>) to the legacy
// ConcurrencyLimiter (PermitObserver) and to the forwarder's calls under way (its in-flight
// count, legacy-calls-probe.ts), it integrates on its own clock:
//   permitFreeNoWaiterMs   ∫ free permits while nobody waits: legacy idles for want of demand
//                          (the rate limit or the offered load), not for the gateway's sake;
//                          permits are counted up to legacy's worker count (a cap above it,
//                          `auto`, has free permits no idle worker stands behind)
//   permitFreeWaiterMs     ∫ free permits while callers wait (a hand-off is synchronous: ~0)
//   permitHeldNoCallMs     ∫ (permits held − legacy calls under way): granted but not yet sent,
//                          or answered but not yet released (the answer still being written)
// and counts grants (at once / handed over by a release), releases that found nobody waiting,
// and the time from a release handing its permit over to the waiter running (`wake`), and the
// gateway's event-loop delay (how long an answer that arrived waits for the loop, on average).
// Cumulative; the bench diffs two snapshots per phase. Not part of the gateway: nothing runs
// unless a child attaches it.
import type { PermitObserver } from '../../gateway/src/protection/concurrency-limiter.js'
import type { LoopDelay } from '../../legacy-stub/src/loop-delay.js'

export interface PermitProbeSnapshot {
  clockMs: number
  permitFreeNoWaiterMs: number
  permitFreeWaiterMs: number
  permitHeldNoCallMs: number
  grants: { atOnce: number, handedOver: number }
  releases: { total: number, noWaiter: number }
  /** Release handing over → the waiter's continuation ran. */
  wake: { count: number, totalMs: number, maxMs: number }
  loopDelay: LoopDelay
}

export class PermitProbe implements PermitObserver {
  readonly #workers: number
  readonly #now: () => number
  readonly #loop: () => LoopDelay
  #since: number
  #inflight = 0
  #queued = 0
  #limit = 0
  #calls = 0
  #freeNoWaiterMs = 0
  #freeWaiterMs = 0
  #heldNoCallMs = 0
  #grantsAtOnce = 0
  #grantsHandedOver = 0
  #releases = 0
  #releasesNoWaiter = 0
  /** When each hand-over not yet woken happened, oldest first. */
  readonly #handedAt: number[] = []
  #wakes = 0
  #wakeMs = 0
  #wakeMaxMs = 0

  /** `workers`: legacy's worker count (free permits above it are not counted); `loop`: the event-loop delay. */
  constructor (workers: number, now: () => number = () => performance.now(), loop: () => LoopDelay = () => ({ count: 0, meanMs: 0 })) {
    this.#workers = workers
    this.#now = now
    this.#loop = loop
    this.#since = now()
  }

  readonly changed = (inflight: number, queued: number, limit: number): void => {
    this.#flush()
    this.#inflight = inflight
    this.#queued = queued
    this.#limit = limit
  }

  readonly granted = (handedOver: boolean): void => {
    if (!handedOver) {
      this.#grantsAtOnce++
      return
    }
    this.#grantsHandedOver++
    this.#handedAt.push(this.#now())
  }

  readonly released = (waiting: number): void => {
    this.#releases++
    if (waiting === 0) this.#releasesNoWaiter++
  }

  readonly woken = (): void => {
    const at = this.#handedAt.shift()
    if (at === undefined) return
    const ms = this.#now() - at
    this.#wakes++
    this.#wakeMs += ms
    if (ms > this.#wakeMaxMs) this.#wakeMaxMs = ms
  }

  /** A legacy call was dispatched (+1) or ended (-1). */
  callsChanged (delta: number): void {
    this.#flush()
    this.#calls += delta
  }

  snapshot (): PermitProbeSnapshot {
    this.#flush()
    return {
      clockMs: this.#since,
      permitFreeNoWaiterMs: this.#freeNoWaiterMs,
      permitFreeWaiterMs: this.#freeWaiterMs,
      permitHeldNoCallMs: this.#heldNoCallMs,
      grants: { atOnce: this.#grantsAtOnce, handedOver: this.#grantsHandedOver },
      releases: { total: this.#releases, noWaiter: this.#releasesNoWaiter },
      wake: { count: this.#wakes, totalMs: this.#wakeMs, maxMs: this.#wakeMaxMs },
      loopDelay: this.#loop()
    }
  }

  #flush (): void {
    const now = this.#now()
    const dt = now - this.#since
    this.#since = now
    const free = Math.max(0, Math.min(this.#limit, this.#workers) - this.#inflight)
    if (this.#queued === 0) this.#freeNoWaiterMs += free * dt
    else this.#freeWaiterMs += free * dt
    this.#heldNoCallMs += Math.max(0, this.#inflight - this.#calls) * dt
  }
}
