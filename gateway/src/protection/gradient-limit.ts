// `legacy.maxConcurrency: auto`: a concurrency cap that finds legacy's capacity from latency, in
// the style of Netflix concurrency-limits' Gradient2 with Envoy adaptive concurrency's minRTT
// probe. Legacy is a pool of N workers: below N permits a call's round trip is the service time
// (the baseline); above N the surplus waits in legacy's own queue and the round trip grows in
// proportion. Per window of samples:
//   gradient = clamp(tolerance × baseline / windowRtt, 0.5, 1)
//   target   = limit × gradient + headroom            (headroom: a small queue that keeps every
//   limit    = limit × (1 − smoothing) + target × smoothing   worker fed across permit hand-offs)
// which settles at limit ≈ tolerance × N + headroom: legacy full, its queue a few requests deep.
// The baseline is the lowest window RTT seen; it can only be raised by a probe — every
// `probeIntervalMs` the cap halves until `probeSamples` calls started after the probe came back,
// and their mean RTT becomes the baseline (a legacy that got slower is not mistaken for a queue
// for ever). Until the first window that shows queueing the cap doubles per window (TCP's slow
// start: a legacy of 200 workers is found in a second, not in a minute of +headroom steps).
// Growth stops while fewer than half the permits are in use (an idle upstream proves nothing);
// a window with a dropped call (timeout, 5xx) backs off by `backoffRatio` instead.
// Pure: time comes from the injected clock, nothing is scheduled.
import type { AdaptiveLimit } from './adaptive-limit.js'

export interface GradientLimitOptions {
  /** Floor of the cap. Default 1. */
  minLimit?: number
  /** Ceiling of the cap. Default 1000. */
  maxLimit?: number
  /** Cap before the first window. Default 4: small enough that legacy does not queue. */
  initialLimit?: number
  /** A window closes after this long (ms) once it has `minWindowSamples`. Default 100. */
  windowMs?: number
  /** Default 8. */
  minWindowSamples?: number
  /** RTT growth over the baseline taken as noise, not queueing. Default 1.1. */
  tolerance?: number
  /** Weight of each window's target. Default 0.2. */
  smoothing?: number
  /** Permits above what latency says legacy absorbs. Default 2. */
  headroom?: number
  /** Factor applied after a window with a dropped call. Default 0.9. */
  backoffRatio?: number
  /** ms between baseline probes; 0 = never probe. Default 5000. */
  probeIntervalMs?: number
  /** Calls (started during the probe) the probe's baseline is the mean of. Default 10. */
  probeSamples?: number
  /** A probe that gathered too few samples ends after this long, baseline unchanged. Default 1000. */
  probeTimeoutMs?: number
}

/** The most permits `maxConcurrency: auto` ever allows (the default `maxLimit`). */
export const AUTO_MAX_LIMIT = 1000

type Settings = Required<GradientLimitOptions>

const DEFAULTS: Settings = {
  minLimit: 1,
  maxLimit: AUTO_MAX_LIMIT,
  initialLimit: 4,
  windowMs: 100,
  minWindowSamples: 8,
  tolerance: 1.1,
  smoothing: 0.2,
  headroom: 2,
  backoffRatio: 0.9,
  probeIntervalMs: 5000,
  probeSamples: 10,
  probeTimeoutMs: 1000
}

interface Probe { startedAt: number, sum: number, count: number }

export class GradientLimit implements AdaptiveLimit {
  readonly #s: Settings
  readonly #now: () => number
  #limit: number
  #baseline = Number.POSITIVE_INFINITY
  #windowStart: number
  #windowSum = 0
  #windowCount = 0
  #windowMaxInflight = 0
  #windowDropped = false
  #nextProbeAt: number
  #slowStart = true
  #probe: Probe | undefined

  constructor (now: () => number, options: GradientLimitOptions = {}) {
    this.#s = { ...DEFAULTS, ...options }
    if (!(this.#s.minLimit >= 1) || !(this.#s.maxLimit >= this.#s.minLimit)) throw new RangeError('need 1 <= minLimit <= maxLimit')
    this.#now = now
    this.#limit = clamp(this.#s.initialLimit, this.#s.minLimit, this.#s.maxLimit)
    this.#windowStart = now()
    this.#nextProbeAt = this.#windowStart + this.#s.probeIntervalMs
  }

  /** Permits allowed now: the estimate, or half of it while a probe measures the baseline. */
  get limit (): number {
    const whole = Math.floor(this.#limit)
    return this.#probe ? Math.max(this.#s.minLimit, Math.ceil(whole / 2)) : whole
  }

  /** Lowest RTT (ms) taken as legacy's unqueued service time; Infinity before the first window. */
  get baselineMs (): number { return this.#baseline }

  get probing (): boolean { return this.#probe !== undefined }

  onSample ({ rttMs, dropped, inflight }: { rttMs: number, dropped: boolean, inflight: number }): void {
    const now = this.#now()
    if (this.#probe) {
      this.#probeSample(now, rttMs, dropped)
      return
    }
    this.#windowSum += rttMs
    this.#windowCount++
    if (inflight > this.#windowMaxInflight) this.#windowMaxInflight = inflight
    if (dropped) this.#windowDropped = true
    if (now - this.#windowStart < this.#s.windowMs || this.#windowCount < this.#s.minWindowSamples) return
    this.#closeWindow()
    this.#startWindow(now)
    if (this.#s.probeIntervalMs > 0 && now >= this.#nextProbeAt && Number.isFinite(this.#baseline)) {
      this.#probe = { startedAt: now, sum: 0, count: 0 }
    }
  }

  #closeWindow (): void {
    const s = this.#s
    if (this.#windowDropped) {
      this.#slowStart = false
      this.#limit = Math.max(s.minLimit, this.#limit * s.backoffRatio)
      return
    }
    const rtt = this.#windowSum / this.#windowCount
    if (rtt < this.#baseline) this.#baseline = rtt
    const gradient = clamp(s.tolerance * this.#baseline / rtt, 0.5, 1)
    // Only an upstream that is asked for enough can show whether it takes more.
    if (gradient >= 1 && this.#windowMaxInflight * 2 < this.#limit) return
    if (gradient < 1) this.#slowStart = false
    if (this.#slowStart) {
      this.#limit = Math.min(s.maxLimit, this.#limit * 2)
      return
    }
    const target = this.#limit * gradient + s.headroom
    this.#limit = clamp(this.#limit * (1 - s.smoothing) + target * s.smoothing, s.minLimit, s.maxLimit)
  }

  #startWindow (now: number): void {
    this.#windowStart = now
    this.#windowSum = 0
    this.#windowCount = 0
    this.#windowMaxInflight = 0
    this.#windowDropped = false
  }

  #probeSample (now: number, rttMs: number, dropped: boolean): void {
    const probe = this.#probe as Probe
    // A call that started before the probe may have queued at legacy: it says nothing of the baseline.
    if (!dropped && now - rttMs >= probe.startedAt) {
      probe.sum += rttMs
      probe.count++
    }
    const done = probe.count >= this.#s.probeSamples
    if (!done && now - probe.startedAt < this.#s.probeTimeoutMs) return
    if (done) this.#baseline = probe.sum / probe.count
    this.#probe = undefined
    this.#nextProbeAt = now + this.#s.probeIntervalMs
    this.#startWindow(now)
  }
}

function clamp (n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n))
}
