// The figures of a verdict as operators read them: the audit reason of a rollback or a step, and
// the JSON view of a route's guard (GET /admin/routes/:id/guard). Pure.
import type { GuardVerdict } from './evaluate-guard.js'
import type { SideStats, WindowStats } from './window-stats.js'

export type Breach = Extract<GuardVerdict, { breach: unknown }>['breach']

export function round (n: number): number { return Math.round(n * 1000) / 1000 }

function side (name: string, s: SideStats): string {
  return `${name} n=${s.samples} 5xx=${round(s.errorRate)} p95=${round(s.p95Ms)}ms`
}

/** `guard: <metric> lambda=<x> legacy=<y> threshold=<t> at <p>% (lambda n=… 5xx=… p95=…ms; legacy …; mismatches …)` */
export function rollbackReason (b: Breach, percent: number, s: WindowStats): string {
  return `guard: ${b.metric} lambda=${round(b.lambda)} legacy=${round(b.legacy)} threshold=${b.threshold} at ${percent}% ` +
    `(${side('lambda', s.lambda)}; ${side('legacy', s.legacy)}; mismatches n=${s.mismatch.samples} rate=${round(s.mismatch.rate)})`
}

export function stepReason (from: number, to: number, intervalMs: number, s: WindowStats): string {
  return `guard: step ${from}% → ${to}% (healthy for ${intervalMs} ms; ${side('lambda', s.lambda)}; ${side('legacy', s.legacy)})`
}

/** Rounded copy of the window stats for logs and the admin view. */
export function roundedStats (s: WindowStats): WindowStats {
  const r = (x: SideStats): SideStats => ({ samples: x.samples, errorRate: round(x.errorRate), p95Ms: round(x.p95Ms) })
  return { legacy: r(s.legacy), lambda: r(s.lambda), mismatch: { samples: s.mismatch.samples, rate: round(s.mismatch.rate) } }
}
