// Sliding-window stats per route and side: 5xx rate, p95 latency, shadow mismatch rate.
// Pure and bounded: a fixed-size ring of the last `window` outcomes per side.
export type Side = 'legacy' | 'lambda'
export interface Outcome { status: number, latencyMs: number }

export class Ring<T> {
  private readonly items: T[] = []
  private next = 0
  constructor (readonly size: number) {}
  push (v: T): void {
    if (this.items.length < this.size) this.items.push(v)
    else this.items[this.next] = v
    this.next = (this.next + 1) % this.size
  }

  values (): readonly T[] { return this.items }
  clear (): void { this.items.length = 0; this.next = 0 }
}

export interface SideStats { samples: number, errorRate: number, p95Ms: number }
export interface WindowStats { legacy: SideStats, lambda: SideStats, mismatch: { samples: number, rate: number } }

export class RouteWindow {
  private readonly sides: Record<Side, Ring<Outcome>>
  private readonly compares: Ring<boolean>
  constructor (window: number) {
    this.sides = { legacy: new Ring(window), lambda: new Ring(window) }
    this.compares = new Ring(window)
  }

  record (side: Side, o: Outcome): void { this.sides[side].push(o) }
  recordComparison (mismatch: boolean): void { this.compares.push(mismatch) }
  reset (): void { this.sides.legacy.clear(); this.sides.lambda.clear(); this.compares.clear() }

  stats (): WindowStats {
    const c = this.compares.values()
    return {
      legacy: sideStats(this.sides.legacy.values()),
      lambda: sideStats(this.sides.lambda.values()),
      mismatch: { samples: c.length, rate: c.length === 0 ? 0 : c.filter(Boolean).length / c.length }
    }
  }
}

export function sideStats (xs: readonly Outcome[]): SideStats {
  if (xs.length === 0) return { samples: 0, errorRate: 0, p95Ms: 0 }
  const sorted = xs.map(x => x.latencyMs).sort((a, b) => a - b)
  const idx = Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)
  return { samples: xs.length, errorRate: xs.filter(x => x.status >= 500).length / xs.length, p95Ms: sorted[idx] ?? 0 }
}
