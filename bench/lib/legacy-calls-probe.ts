// Bench-only: feeds a PermitProbe the legacy calls under way by wrapping, in the gateway child, the
// forwarder's in-flight count (metrics.inflightCount('legacy'): one shared count, read into
// gateway_upstream_inflight at scrape time). Builds before that count called the gauge's inc/dec,
// which is wrapped instead. Nothing is added to a gateway that no probe is attached to.
import type { PermitProbe } from './permit-probe.js'

type Counting = Record<'inc' | 'dec', () => void>
type LabelledGauge = Record<'inc' | 'dec', (labels?: { upstream?: string }, value?: number) => void>

export interface ProbedMetrics {
  inflightCount?: (upstream: string) => Counting
  upstreamInflight: unknown
}

export function observeLegacyCalls (metrics: ProbedMetrics, probe: Pick<PermitProbe, 'callsChanged'>): void {
  if (typeof metrics.inflightCount === 'function') {
    const count = metrics.inflightCount('legacy')
    for (const [method, delta] of [['inc', 1], ['dec', -1]] as const) {
      const original = count[method].bind(count)
      count[method] = () => { probe.callsChanged(delta); original() }
    }
    return
  }
  const gauge = metrics.upstreamInflight as LabelledGauge
  for (const [method, delta] of [['inc', 1], ['dec', -1]] as const) {
    const original = gauge[method].bind(gauge)
    gauge[method] = (labels, value) => {
      if (labels?.upstream === 'legacy') probe.callsChanged(delta)
      original(labels, value)
    }
  }
}
