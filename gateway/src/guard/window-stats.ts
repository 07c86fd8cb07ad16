// Sliding-window stats per route and side: 5xx rate, p95 latency, shadow mismatch rate. Pure and
// bounded: fixed-size rings of the last `window` outcomes per side. Recording is on the request
// path, so it writes into preallocated typed arrays and keeps the error/mismatch counts
// incrementally (no allocation, O(1)); only `stats()` (the guard's periodic judgement) sorts.
export type Side = 'legacy' | 'lambda'
export interface Outcome { status: number, latencyMs: number }

/** The last `size` (status, latency) pairs of one side. */
export class OutcomeRing {
  private readonly status: Uint16Array
  private readonly latency: Float64Array
  private n = 0
  private next = 0
  private errors = 0
  constructor (readonly size: number) {
    this.status = new Uint16Array(size)
    this.latency = new Float64Array(size)
  }

  push (status: number, latencyMs: number): void {
    if (this.n === this.size) { if ((this.status[this.next] as number) >= 500) this.errors-- } else this.n++
    this.status[this.next] = status
    this.latency[this.next] = latencyMs
    if (status >= 500) this.errors++
    this.next = this.next + 1 === this.size ? 0 : this.next + 1
  }

  get samples (): number { return this.n }
  clear (): void { this.n = 0; this.next = 0; this.errors = 0 }

  stats (): SideStats {
    if (this.n === 0) return { samples: 0, errorRate: 0, p95Ms: 0 }
    const sorted = this.latency.slice(0, this.n).sort()
    return { samples: this.n, errorRate: this.errors / this.n, p95Ms: sorted[p95Index(this.n)] ?? 0 }
  }
}

/** The last `size` shadow comparisons (mismatch or not). */
export class FlagRing {
  private readonly flags: Uint8Array
  private n = 0
  private next = 0
  private set = 0
  constructor (readonly size: number) { this.flags = new Uint8Array(size) }
  push (flag: boolean): void {
    if (this.n === this.size) this.set -= this.flags[this.next] as number
    else this.n++
    this.flags[this.next] = flag ? 1 : 0
    if (flag) this.set++
    this.next = this.next + 1 === this.size ? 0 : this.next + 1
  }

  get samples (): number { return this.n }
  get rate (): number { return this.n === 0 ? 0 : this.set / this.n }
  clear (): void { this.n = 0; this.next = 0; this.set = 0 }
}

export interface SideStats { samples: number, errorRate: number, p95Ms: number }
export interface WindowStats { legacy: SideStats, lambda: SideStats, mismatch: { samples: number, rate: number } }

export class RouteWindow {
  readonly legacy: OutcomeRing
  readonly lambda: OutcomeRing
  readonly compares: FlagRing
  constructor (readonly size: number) {
    this.legacy = new OutcomeRing(size)
    this.lambda = new OutcomeRing(size)
    this.compares = new FlagRing(size)
  }

  /** Hot path: one answered request of a side. */
  add (side: Side, status: number, latencyMs: number): void {
    (side === 'lambda' ? this.lambda : this.legacy).push(status, latencyMs)
  }

  record (side: Side, o: Outcome): void { this.add(side, o.status, o.latencyMs) }
  recordComparison (mismatch: boolean): void { this.compares.push(mismatch) }
  reset (): void { this.legacy.clear(); this.lambda.clear(); this.compares.clear() }

  stats (): WindowStats {
    return {
      legacy: this.legacy.stats(),
      lambda: this.lambda.stats(),
      mismatch: { samples: this.compares.samples, rate: this.compares.rate }
    }
  }
}

/** Nearest-rank p95 index into n sorted values. */
function p95Index (n: number): number { return Math.min(n - 1, Math.ceil(0.95 * n) - 1) }
