// Per-route, per-side traffic over the last hour for the cockpit: a fixed ring of 10 s buckets
// (360 of them) per route and side, each holding requests, errors and a fixed latency histogram.
// Recording is a few typed-array writes (no allocation after a route's first request), so it can
// sit on the onResponse path; reads (a few per second at most) do the summing. Memory is bounded:
// MAX_ROUTES rings of fixed size (~23 KB per side). Per process: replicas share nothing here.
import { quantileMs } from '../ops/admin-routes-stats.js'

export const BUCKET_MS = 10_000
export const BUCKETS = 360
/** Upper bounds (ms) of the latency bins; one more bin takes everything slower. */
export const LATENCY_BOUNDS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] as const
const BINS = LATENCY_BOUNDS_MS.length + 1
/** Rings beyond this many routes are not made (route ids come from the config, plus `default`). */
export const MAX_ROUTES = 256

export type Side = 'legacy' | 'lambda'

/** One side's figures over a window: requests, 5xx answers and p95 (ms, null without samples). */
export interface SideTotals { requests: number, errors: number, p95Ms: number | null }

/** Columnar series of one side, oldest bucket first (ready for a chart). */
export interface SideSeries { requests: number[], errors: number[], p95Ms: Array<number | null> }

export interface RouteSeries {
  bucketMs: number
  /** Start (epoch ms) of each bucket, oldest first. */
  t: number[]
  legacy: SideSeries
  lambda: SideSeries
}

class SideRing {
  /** Bucket number (epoch ms / BUCKET_MS) each slot holds; -1 = never written. */
  readonly stamps = new Float64Array(BUCKETS).fill(-1)
  readonly requests = new Uint32Array(BUCKETS)
  readonly errors = new Uint32Array(BUCKETS)
  readonly bins = new Uint32Array(BUCKETS * BINS)

  record (bucket: number, error: boolean, ms: number): void {
    const slot = bucket % BUCKETS
    if (this.stamps[slot] !== bucket) {
      // Roll-over: the slot held a bucket an hour (or more) old; it starts again from zero.
      this.stamps[slot] = bucket
      this.requests[slot] = 0
      this.errors[slot] = 0
      this.bins.fill(0, slot * BINS, slot * BINS + BINS)
    }
    this.requests[slot]!++
    if (error) this.errors[slot]!++
    let bin = 0
    while (bin < LATENCY_BOUNDS_MS.length && ms > LATENCY_BOUNDS_MS[bin]!) bin++
    this.bins[slot * BINS + bin]!++
  }

  /** Slot of `bucket` if it still holds that bucket, else -1. */
  slotOf (bucket: number): number {
    const slot = bucket % BUCKETS
    return this.stamps[slot] === bucket ? slot : -1
  }
}

/** p95 in ms from per-bin counts (bin i ends at LATENCY_BOUNDS_MS[i]), interpolated in its bin. */
function p95Of (counts: ArrayLike<number>): number | null {
  const cumulative: Array<[number, number]> = []
  let sum = 0
  for (let i = 0; i < BINS; i++) {
    sum += counts[i]!
    cumulative.push([i < LATENCY_BOUNDS_MS.length ? LATENCY_BOUNDS_MS[i]! / 1000 : Infinity, sum])
  }
  const q = quantileMs(cumulative, 0.95)
  return q === null ? null : Math.round(q * 10) / 10
}

export interface TimeSeriesOptions {
  /** Wall clock (epoch ms); default Date.now. */
  now?: () => number
  maxRoutes?: number
}

export class TrafficTimeSeries {
  private readonly rings = new Map<string, { legacy: SideRing, lambda: SideRing }>()
  private readonly now: () => number
  private readonly maxRoutes: number

  constructor (options: TimeSeriesOptions = {}) {
    this.now = options.now ?? Date.now
    this.maxRoutes = options.maxRoutes ?? MAX_ROUTES
  }

  /** Hot path: one answered request. `target` other than legacy/lambda (a bad path) is ignored. */
  record (routeId: string, target: string, status: number, durationMs: number): void {
    if (target !== 'legacy' && target !== 'lambda') return
    let ring = this.rings.get(routeId)
    if (ring === undefined) {
      if (this.rings.size >= this.maxRoutes) return
      ring = { legacy: new SideRing(), lambda: new SideRing() }
      this.rings.set(routeId, ring)
    }
    ring[target].record(Math.floor(this.now() / BUCKET_MS), status >= 500, durationMs)
  }

  routeIds (): string[] { return [...this.rings.keys()] }

  /** The last `buckets` buckets of a route (default the whole hour), oldest first; zeros where idle. */
  series (routeId: string, buckets = BUCKETS): RouteSeries {
    const n = Math.min(Math.max(1, buckets), BUCKETS)
    const last = Math.floor(this.now() / BUCKET_MS)
    const ring = this.rings.get(routeId)
    const out: RouteSeries = { bucketMs: BUCKET_MS, t: [], legacy: emptySeries(), lambda: emptySeries() }
    for (let b = last - n + 1; b <= last; b++) {
      out.t.push(b * BUCKET_MS)
      for (const side of ['legacy', 'lambda'] as const) {
        const r = ring?.[side]
        const slot = r === undefined ? -1 : r.slotOf(b)
        const s = out[side]
        s.requests.push(slot === -1 ? 0 : r!.requests[slot]!)
        s.errors.push(slot === -1 ? 0 : r!.errors[slot]!)
        s.p95Ms.push(slot === -1 ? null : p95Of(r!.bins.subarray(slot * BINS, slot * BINS + BINS)))
      }
    }
    return out
  }

  /** Totals of a route's side over the last `buckets` buckets (default the hour). */
  totals (routeId: string, side: Side, buckets = BUCKETS): SideTotals {
    const ring = this.rings.get(routeId)?.[side]
    const counts = new Array<number>(BINS).fill(0)
    let requests = 0
    let errors = 0
    if (ring === undefined) return { requests, errors, p95Ms: null }
    const last = Math.floor(this.now() / BUCKET_MS)
    for (let b = last - Math.min(buckets, BUCKETS) + 1; b <= last; b++) {
      const slot = ring.slotOf(b)
      if (slot === -1) continue
      requests += ring.requests[slot]!
      errors += ring.errors[slot]!
      for (let i = 0; i < BINS; i++) counts[i]! += ring.bins[slot * BINS + i]!
    }
    return { requests, errors, p95Ms: p95Of(counts) }
  }
}

function emptySeries (): SideSeries { return { requests: [], errors: [], p95Ms: [] } }
