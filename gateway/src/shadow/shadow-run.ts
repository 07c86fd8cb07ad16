// One shadow comparison, after the client has its answer: call the other side (and legacy a second
// time when noise learning is on), compare, and record the result (metric, mismatch store, the
// guard's callback). The sides are given as functions, already wrapped in their shields by the
// dispatcher, so this module knows nothing of Fastify, undici or the SDK.
import { compareResponses } from './compare/compare-responses.js'
import type { CapturedAnswer } from './compare/compare-responses.js'
import { compileCompare } from './compare/normalise.js'
import { parseJson } from './compare/compare-responses.js'
import type { MismatchStore } from './mismatch-store.js'
import type { NoiseLearner } from './noise.js'
import type { ShadowConfig } from './shadow.schema.js'
import type { ShadowRequest } from './shadow-calls.js'
import { isProtectionRejection } from '../protection/rejection.js'
import type { LAMBDA_TARGET } from '../targets/lambda-target.js'
import type { LEGACY_TARGET } from '../targets/legacy-proxy.js'

/** The two targets a shadowed route is compared between (by their registry names). */
export type Side = typeof LEGACY_TARGET | typeof LAMBDA_TARGET
export type ComparisonResult = 'match' | 'mismatch' | 'error'
/** `shed`: the shadow call was not made (own cap, or the shield shed it); no comparison. */
export type ShadowOutcome = ComparisonResult | 'shed'

export type SideCall = (req: ShadowRequest) => Promise<CapturedAnswer>

export interface ShadowJob {
  routeId: string
  settings: ShadowConfig
  /** Who answered the client. */
  primary: Side
  primaryAnswer: CapturedAnswer
  request: ShadowRequest
  /** Absolute-form URL for the mismatch record (path + query). */
  url: string
}

export interface ShadowRecorder {
  store: MismatchStore
  noise: NoiseLearner
  stats: ShadowStats
  /** gateway_shadow_comparisons_total{route,result} */
  count: (routeId: string, result: ShadowOutcome) => void
  onComparison?: ((routeId: string, result: ComparisonResult) => void) | undefined
  onError?: (routeId: string, err: unknown) => void
  now: () => number
}

export type Counts = Record<ShadowOutcome, number>

/** Per-route totals since start (for GET /admin/routes/:id/diffs). Bounded in routes. */
export class ShadowStats {
  readonly #byRoute = new Map<string, Counts>()
  constructor (private readonly maxRoutes = 500) {}
  add (routeId: string, outcome: ShadowOutcome): void {
    let c = this.#byRoute.get(routeId)
    if (c === undefined) {
      if (this.#byRoute.size >= this.maxRoutes) return
      c = { match: 0, mismatch: 0, error: 0, shed: 0 }
      this.#byRoute.set(routeId, c)
    }
    c[outcome]++
  }

  get (routeId: string): Counts { return { match: 0, mismatch: 0, error: 0, shed: 0, ...this.#byRoute.get(routeId) } }
}

/** Counts one outcome: stats, metric, and the guard's callback for real comparisons. */
export function recordOutcome (r: ShadowRecorder, routeId: string, outcome: ShadowOutcome): void {
  r.stats.add(routeId, outcome)
  r.count(routeId, outcome)
  if (outcome !== 'shed') r.onComparison?.(routeId, outcome)
}

/** Runs the job; never throws (every failure is an `error` or `shed` outcome). */
export async function runShadow (job: ShadowJob, sides: Record<Side, SideCall>, r: ShadowRecorder): Promise<ShadowOutcome> {
  const other: Side = job.primary === 'legacy' ? 'lambda' : 'legacy'
  const noisy = job.settings.noise.enabled
  let outcome: ShadowOutcome
  try {
    // Noise: a second legacy answer to the same request, made alongside the shadow call.
    const [shadowAnswer, secondLegacy] = await Promise.all([
      sides[other](job.request),
      noisy ? sides.legacy(job.request) : Promise.resolve(undefined)
    ])
    const legacy = job.primary === 'legacy' ? job.primaryAnswer : shadowAnswer
    const lambda = job.primary === 'lambda' ? job.primaryAnswer : shadowAnswer
    if (secondLegacy !== undefined && secondLegacy.status === legacy.status) {
      const a = parseJson(legacy.body)
      const b = parseJson(secondLegacy.body)
      if (a.ok && b.ok) r.noise.learn(job.routeId, a.value, b.value)
    }
    const compiled = compileCompare(job.settings.compare, r.noise.ignored(job.routeId))
    const result = compareResponses(legacy, lambda, compiled)
    outcome = result.match ? 'match' : 'mismatch'
    if (!result.match) {
      r.store.add(job.routeId, {
        at: new Date(r.now()).toISOString(),
        method: job.request.method,
        url: job.url,
        primary: job.primary,
        legacy: { status: legacy.status, body: legacy.body },
        lambda: { status: lambda.status, body: lambda.body },
        diffs: result.diffs
      })
    }
  } catch (err) {
    outcome = isProtectionRejection(err) ? 'shed' : 'error'
    r.onError?.(job.routeId, err)
  }
  recordOutcome(r, job.routeId, outcome)
  return outcome
}

/** The per-route cap on shadow calls in flight (`shadow.maxConcurrent`, per gateway). */
export class ShadowInflight {
  readonly #byRoute = new Map<string, number>()
  tryEnter (routeId: string, max: number): boolean {
    const n = this.#byRoute.get(routeId) ?? 0
    if (n >= max) return false
    this.#byRoute.set(routeId, n + 1)
    return true
  }

  leave (routeId: string): void {
    const n = (this.#byRoute.get(routeId) ?? 1) - 1
    if (n <= 0) this.#byRoute.delete(routeId)
    else this.#byRoute.set(routeId, n)
  }

  inflight (routeId: string): number { return this.#byRoute.get(routeId) ?? 0 }
}
