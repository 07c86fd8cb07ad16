// The contract's Prometheus metrics (ARCHITECTURE.md "Metrics"), one Registry per app so
// several gateways can live in one process (tests). Labels are bounded: route ids (never raw
// paths), the target, the status code, the upstream/breaker/function names from config.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { FixedHistogram } from './fixed-histogram.js'

export type { RejectionReason } from '../protection/rejection.js'

export interface GatewayMetrics {
  registry: Registry
  requests: Counter<'route' | 'target' | 'status'>
  requestDuration: Histogram<'route' | 'target'>
  upstreamInflight: Gauge<'upstream'>
  rejections: Counter<'route' | 'reason'>
  /** 0 closed, 1 half-open, 2 open — set by the protection layer. */
  breakerState: Gauge<'breaker'>
  lambdaColdStarts: Counter<'function'>
  lambdaInitDuration: Histogram<'function'>
  /** Incremented by the shadow-traffic feature; registered here so the name is stable. */
  shadowComparisons: Counter<'route' | 'result'>
  /**
   * Request-scoped failures caught instead of crashing, by where they were caught:
   * `handler` (a 500 GW_ERR_INTERNAL), `uncaught_exception`, `unhandled_rejection` (server.ts).
   */
  internalErrors: Counter<'where'>
  /**
   * Hot path of the request log hook: `gateway_requests_total` +1 and one
   * `gateway_request_duration_seconds` observation, with the same labels and values as
   * `requests.inc(…)` + `requestDuration.observe(…)`, for a fraction of their cost.
   */
  recordRequest: (route: string, target: string, status: number, seconds: number) => void
  /**
   * An upstream's in-flight count for `gateway_upstream_inflight{upstream}` kept in a number and
   * written to the gauge when it is read (prom-client's inc/dec check and hash the labels on every
   * call: twice a request). The series shows from the first inc, as with inc/dec on the gauge.
   * One count per upstream: a second call with the same name returns the same count.
   */
  inflightCount: (upstream: string) => InflightCount
}

export interface InflightCount {
  inc: () => void
  dec: () => void
}

class InflightCell implements InflightCount {
  n = 0
  seen = false
  readonly labels: { upstream: string }
  constructor (private readonly gauge: Gauge<'upstream'>, upstream: string) { this.labels = { upstream } }
  inc (): void {
    this.n++
    if (this.seen) return
    // The series is made where inc() on the gauge made it, so /metrics lists them in the same order.
    this.seen = true
    this.gauge.set(this.labels, 0)
  }

  dec (): void { this.n-- }
}

// prom-client's default metrics include three gauges named like counters
// (`nodejs_active_handles_total`, `…_requests_total`, `…_resources_total`), which
// `promtool check metrics` flags ("non-counter metrics should not have _total suffix"). Each is
// only the sum of the per-type gauge next to it (`nodejs_active_handles{type}` …), so they are
// dropped rather than renamed: `sum(nodejs_active_handles)` is the same number.
const DROPPED_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
const INIT_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10]

interface PendingCount { labels: Record<'route' | 'target' | 'status', string>, n: number }

/** One route and target's request series: its duration child and its count per status code. */
interface RouteTargetCells { duration: { observe: (value: number) => void }, byStatus: Map<number, PendingCount> }

export function createMetrics (opts: { defaultMetrics?: boolean } = {}): GatewayMetrics {
  const registry = new Registry()
  const registers = [registry]
  if (opts.defaultMetrics) {
    collectDefaultMetrics({ register: registry })
    for (const name of DROPPED_DEFAULT_METRICS) registry.removeSingleMetric(name)
  }
  // prom-client hashes and validates the label object on every inc/observe: per request that
  // cost more than the rest of the request log (bench/README.md, "hot path"). Request counts are
  // summed per label set here and added when the counter is read (collect runs before every
  // get(), so /metrics and the admin stats see every request); durations go to a labelled child
  // cached per route and target. The cells are found by route id, then target, then status
  // (maps of the strings and number the request already has: no key string built per request).
  const pending: PendingCount[] = []
  const cells = new Map<string, Map<string, RouteTargetCells>>()
  const requests = new Counter({
    name: 'gateway_requests_total',
    help: 'Requests answered, by route, target and status code',
    labelNames: ['route', 'target', 'status'] as const,
    registers,
    collect (this: Counter<'route' | 'target' | 'status'>) {
      for (const cell of pending) {
        if (cell.n === 0) continue
        this.inc(cell.labels, cell.n)
        cell.n = 0
      }
    }
  })
  // Observed once per request: counted into fixed arrays, printed exactly as prom-client would.
  const requestDuration = new FixedHistogram({ name: 'gateway_request_duration_seconds', help: 'Time from request received to response finished', labelNames: ['route', 'target'], buckets: LATENCY_BUCKETS, registers })

  const recordRequest = (route: string, target: string, status: number, seconds: number): void => {
    let byTarget = cells.get(route)
    if (byTarget === undefined) cells.set(route, byTarget = new Map())
    let series = byTarget.get(target)
    if (series === undefined) byTarget.set(target, series = { duration: requestDuration.labels(route, target), byStatus: new Map() })
    let count = series.byStatus.get(status)
    if (count === undefined) {
      const labels = { route, target, status: String(status) }
      requests.inc(labels, 0) // validates the labels once and shows the series from the start
      series.byStatus.set(status, count = { labels, n: 0 })
      pending.push(count)
    }
    count.n++
    series.duration.observe(seconds)
  }

  const inflightCells = new Map<string, InflightCell>()
  const upstreamInflight = new Gauge({
    name: 'gateway_upstream_inflight',
    help: 'Requests in flight to an upstream (legacy, lambda:<function>)',
    labelNames: ['upstream'] as const,
    registers,
    collect (this: Gauge<'upstream'>) {
      for (const cell of inflightCells.values()) if (cell.seen) this.set(cell.labels, cell.n)
    }
  })
  const inflightCount = (upstream: string): InflightCount => {
    let cell = inflightCells.get(upstream)
    if (cell === undefined) inflightCells.set(upstream, cell = new InflightCell(upstreamInflight, upstream))
    return cell
  }

  return {
    registry,
    requests,
    requestDuration,
    upstreamInflight,
    rejections: new Counter({ name: 'gateway_rejections_total', help: 'Requests the gateway answered itself instead of forwarding, by reason', labelNames: ['route', 'reason'], registers }),
    breakerState: new Gauge({ name: 'gateway_breaker_state', help: 'Circuit breaker state: 0 closed, 1 half-open, 2 open', labelNames: ['breaker'], registers }),
    lambdaColdStarts: new Counter({ name: 'gateway_lambda_cold_starts_total', help: 'Invocations that hit a cold execution environment', labelNames: ['function'], registers }),
    lambdaInitDuration: new Histogram({ name: 'gateway_lambda_init_duration_seconds', help: 'Init Duration reported by cold starts', labelNames: ['function'], buckets: INIT_BUCKETS, registers }),
    shadowComparisons: new Counter({ name: 'gateway_shadow_comparisons_total', help: 'Shadow comparisons of legacy and Lambda answers, by result', labelNames: ['route', 'result'], registers }),
    internalErrors: new Counter({ name: 'gateway_internal_errors_total', help: 'Request-scoped failures caught instead of crashing the process, by where they were caught', labelNames: ['where'], registers }),
    recordRequest,
    inflightCount
  }
}
