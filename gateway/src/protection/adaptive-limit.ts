// Optional adaptive concurrency cap (off by default): AIMD on observed latency, after Netflix
// concurrency-limits' AIMDLimit. A sample slower than `latencyThresholdMs`, or a dropped one
// (timeout/5xx), multiplies the limit by `backoffRatio`; a fast sample while the limit is being
// used adds 1. The limit stays within [minConcurrency, maxConcurrency]: never above the
// configured cap, whatever legacy does.

export interface AdaptiveLimitConfig {
  /** Master switch. Default false. */
  enabled: boolean
  /** Floor of the cap. Default 1. */
  minConcurrency: number
  /** A response slower than this counts as congestion. Default 500 ms. */
  latencyThresholdMs: number
  /** Multiplicative decrease factor on congestion. Default 0.9. */
  backoffRatio: number
}

export interface AdaptiveLimit {
  readonly limit: number
  onSample: (sample: { rttMs: number, dropped: boolean, inflight: number }) => void
}

export class AimdLimit implements AdaptiveLimit {
  #limit: number
  readonly #max: number
  readonly #config: AdaptiveLimitConfig

  constructor (maxConcurrency: number, config: AdaptiveLimitConfig) {
    this.#max = maxConcurrency
    this.#config = config
    this.#limit = maxConcurrency
  }

  get limit (): number { return Math.floor(this.#limit) }

  onSample ({ rttMs, dropped, inflight }: { rttMs: number, dropped: boolean, inflight: number }): void {
    const min = Math.min(this.#config.minConcurrency, this.#max)
    if (dropped || rttMs > this.#config.latencyThresholdMs) {
      this.#limit = Math.max(min, this.#limit * this.#config.backoffRatio)
    } else if (inflight * 2 >= this.limit) {
      // Grow only when the cap is actually in use; an idle upstream proves nothing.
      this.#limit = Math.min(this.#max, this.#limit + 1)
    }
  }
}
