// `gateway_distributed_degraded`: 1 while this replica serves from local fallbacks because Redis
// is unreachable or slow, 0 while it uses the shared state. Read at scrape time from the one
// source of truth (DegradedMode), so it can never disagree with /readyz.
import { Gauge } from 'prom-client'
import type { Registry } from 'prom-client'
import type { DegradedMode } from './degraded-mode.js'

export const DEGRADED_GAUGE = 'gateway_distributed_degraded'

export function registerDegradedGauge (registry: Registry, degraded: Pick<DegradedMode, 'degraded'>): Gauge {
  return new Gauge({
    name: DEGRADED_GAUGE,
    help: 'Distributed mode: 1 while Redis is unavailable and local fallback limits (divided by expectedReplicas) are in use',
    registers: [registry],
    collect () { this.set(degraded.degraded ? 1 : 0) }
  })
}
