// Counters behind GET /__stats. Only requests to the legacy API (everything outside `/__*`)
// are counted: the control endpoints must not disturb what tests measure.

export interface StatsCounters {
  /** Requests that arrived (before the capacity model decided anything). */
  received: number
  /** Requests answered, whatever the status (refusals included). */
  served: number
  /** Answers with status >= 500 (refusals, injected faults, crashes). */
  errors: number
  /** Refused at once because the queue was full (503, every 4th a 500). */
  refused: number
  /** Injected 500s from `errorRate`. */
  faulted: number
  /** Billing requests answered from the idempotency record instead of storing again. */
  idempotentReplays: number
}

export function zeroCounters (): StatsCounters {
  return { received: 0, served: 0, errors: 0, refused: 0, faulted: 0, idempotentReplays: 0 }
}

/** The body of GET /__stats. */
export interface StatsSnapshot extends StatsCounters {
  inflight: number
  maxInflight: number
  queued: number
  maxQueued: number
  /** Billings stored (data, not a counter: survives /__stats/reset, cleared by /__reset). */
  billings: number
  /** Projects created through POST /api/Projects (data, like `billings`). */
  projectsCreated: number
  maxConcurrency: number
  queueLimit: number
  latencyMs: number
  errorRate: number
  down: boolean
}
