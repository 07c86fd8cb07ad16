// Envoy-style retry budget: a retry may start only while active retries stay below
// max(minRetryConcurrency, budgetPercent% of active requests). Under a failure storm retries
// cannot multiply the load on an already struggling upstream.

export interface RetryBudgetConfig {
  /** Retries as a % of active requests. Default 20. */
  budgetPercent: number
  /** Retries always allowed concurrently, whatever the traffic. Default 3. */
  minRetryConcurrency: number
}

export class RetryBudget {
  readonly #config: RetryBudgetConfig
  #activeRequests = 0
  #activeRetries = 0
  #maxActiveRetriesSeen = 0
  #denied = 0

  constructor (config: RetryBudgetConfig) {
    this.#config = config
  }

  get activeRequests (): number { return this.#activeRequests }
  get activeRetries (): number { return this.#activeRetries }
  get maxActiveRetriesSeen (): number { return this.#maxActiveRetriesSeen }
  get denied (): number { return this.#denied }

  /** Retries currently allowed at most. */
  get allowance (): number {
    return Math.max(this.#config.minRetryConcurrency, Math.floor(this.#activeRequests * this.#config.budgetPercent / 100))
  }

  /** Marks one request (first attempt and its retries) active; call the returned function when it ends. */
  startRequest (): () => void {
    this.#activeRequests++
    let done = false
    return () => {
      if (done) return
      done = true
      this.#activeRequests--
    }
  }

  /** Reserves a retry slot, or returns null when the budget is spent. */
  tryStartRetry (): (() => void) | null {
    if (this.#activeRetries >= this.allowance) {
      this.#denied++
      return null
    }
    this.#activeRetries++
    if (this.#activeRetries > this.#maxActiveRetriesSeen) this.#maxActiveRetriesSeen = this.#activeRetries
    let done = false
    return () => {
      if (done) return
      done = true
      this.#activeRetries--
    }
  }
}
