// The lease enter() hands out for a streamed call: `finish(outcome?)` when the response is done,
// `hold()` while an upstream call is under way on the permit. The permit is given back (through
// `complete`) once, when finished and no hold is left: a client that hung up must not free a
// permit the upstream is still working on.
import { isAbortError } from './rejection.js'
import type { ShieldLease } from './shield-types.js'

const noop = (): void => {}

/** `complete(outcome)` runs exactly once: the finish outcome, or the upstream's own failure over a client abort. */
export function createLease (complete: (outcome: unknown) => void): ShieldLease {
  let done = false
  let holds = 0
  let finished: { error: unknown } | undefined
  let upstreamError: unknown
  const end = (outcome: unknown): void => {
    done = true
    complete(outcome)
  }
  // A client abort says nothing about the upstream: what the upstream call itself ended with wins.
  const finalOutcome = (): unknown => isAbortError(finished?.error) && upstreamError !== undefined ? upstreamError : finished?.error
  return {
    finish: (error?: unknown) => {
      if (done || finished) return
      finished = { error }
      if (holds === 0) end(error)
    },
    hold: () => {
      if (done) return noop
      holds++
      let ended = false
      return (error?: unknown) => {
        if (ended) return
        ended = true
        holds--
        if (error !== undefined) upstreamError = error
        if (holds === 0 && finished && !done) end(finalOutcome())
      }
    }
  }
}
