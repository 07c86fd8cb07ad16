// The lease enter() and tryEnter() hand out for a streamed call: `finish(outcome?)` when the
// response is done, `hold()` while an upstream call is under way on the permit. It ends once,
// when finished and no hold is left: a client that hung up must not free a permit the upstream
// is still working on. Ending records the outcome on the breaker tickets (route's, then the
// upstream's, as a nested call would) and then gives the permit back, so whoever gets the permit
// next already sees the breaker that outcome left. A class, not closures: one object per call.
import type { BreakerTicket } from './breaker-registry.js'
import type { Release } from './concurrency-limiter.js'
import { isAbortError, isProtectionRejection } from './rejection.js'
import { isBreakerFailure } from './breaker-registry.js'
import type { ShieldLease } from './shield-types.js'

const noop = (): void => {}
const KEPT = Object.freeze({ dropped: false })
const DROPPED = Object.freeze({ dropped: true })

/** Outcomes that tell the adaptive limit the upstream is struggling (breaker failure, throttle). */
export const dropsPermit = (err: unknown): boolean =>
  isBreakerFailure(err) || (isProtectionRejection(err) && err.reason === 'throttled')

export class BreakerLease implements ShieldLease {
  readonly #release: Release
  readonly #upstream: BreakerTicket
  readonly #route: BreakerTicket | undefined
  readonly #classify: ((err: unknown) => unknown) | undefined
  #done = false
  #finished = false
  #holds = 0
  #error: unknown
  #upstreamError: unknown

  /** `classify` turns a target error into what the breakers and the permit get (Lambda throttle). */
  constructor (release: Release, upstream: BreakerTicket, route: BreakerTicket | undefined, classify: ((err: unknown) => unknown) | undefined) {
    this.#release = release
    this.#upstream = upstream
    this.#route = route
    this.#classify = classify
  }

  finish (error?: unknown): void {
    if (this.#done || this.#finished) return
    this.#finished = true
    this.#error = error
    if (this.#holds === 0) this.#end(error)
  }

  hold (): (upstreamError?: unknown) => void {
    if (this.#done) return noop
    this.#holds++
    let ended = false
    return (error?: unknown) => {
      if (ended) return
      ended = true
      this.#holds--
      if (error !== undefined) this.#upstreamError = error
      if (this.#holds === 0 && this.#finished && !this.#done) this.#end(this.#finalOutcome())
    }
  }

  /** A client abort says nothing about the upstream: what the upstream call itself ended with wins. */
  #finalOutcome (): unknown {
    return isAbortError(this.#error) && this.#upstreamError !== undefined ? this.#upstreamError : this.#error
  }

  #end (outcome: unknown): void {
    this.#done = true
    const err = outcome === undefined || this.#classify === undefined ? outcome : this.#classify(outcome)
    this.#route?.end(err)
    this.#upstream.end(err)
    this.#release(err !== undefined && dropsPermit(err) ? DROPPED : KEPT)
  }
}
