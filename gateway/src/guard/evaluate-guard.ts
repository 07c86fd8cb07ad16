// Decides whether the Lambda side does worse than legacy over the window. Pure.
import type { WindowStats } from './window-stats.js'

export interface GuardThresholds {
  minSamples: number
  /** Lambda 5xx rate minus legacy 5xx rate (0–1) above which the guard trips. */
  maxErrorRateDelta: number
  /** Lambda p95 / legacy p95 above which the guard trips. */
  maxP95Ratio: number
  /** Shadow mismatch rate (0–1) above which the guard trips. */
  maxMismatchRate: number
}

export type GuardMetric = 'errorRateDelta' | 'p95Ratio' | 'mismatchRate'
export type GuardVerdict =
  | { ok: true, reason?: 'insufficient-samples' }
  | { breach: { metric: GuardMetric, lambda: number, legacy: number, threshold: number } }

export function evaluateGuard (s: WindowStats, th: GuardThresholds): GuardVerdict {
  // Error rate needs only Lambda samples (legacy at 0 errors is the baseline when legacy is idle).
  if (s.lambda.samples >= th.minSamples) {
    const legacyErr = s.legacy.samples >= th.minSamples ? s.legacy.errorRate : 0
    if (s.lambda.errorRate - legacyErr > th.maxErrorRateDelta) {
      return { breach: { metric: 'errorRateDelta', lambda: s.lambda.errorRate, legacy: legacyErr, threshold: th.maxErrorRateDelta } }
    }
    if (s.legacy.samples >= th.minSamples && s.legacy.p95Ms > 0 && s.lambda.p95Ms / s.legacy.p95Ms > th.maxP95Ratio) {
      return { breach: { metric: 'p95Ratio', lambda: s.lambda.p95Ms, legacy: s.legacy.p95Ms, threshold: th.maxP95Ratio } }
    }
  }
  if (s.mismatch.samples >= th.minSamples && s.mismatch.rate > th.maxMismatchRate) {
    return { breach: { metric: 'mismatchRate', lambda: s.mismatch.rate, legacy: 0, threshold: th.maxMismatchRate } }
  }
  const enough = s.lambda.samples >= th.minSamples || s.mismatch.samples >= th.minSamples
  return enough ? { ok: true } : { ok: true, reason: 'insufficient-samples' }
}
