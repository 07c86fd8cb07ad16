// The concurrency cap and the wait-queue depth of every upstream the protection layer shields,
// read from the limiters when Prometheus scrapes (nothing is done per request):
//   gateway_upstream_concurrency_limit{upstream}  the cap in force: the configured maximum, a
//     reload's new one, lower while an adaptive limit holds it down; in distributed mode the
//     shared cap, or this replica's share while degraded (PermitLimiter.limit)
//   gateway_upstream_queue_depth{upstream}        callers of this replica waiting for a permit
// `upstream` takes the values of gateway_upstream_inflight (`legacy`, `lambda:<function>`); a
// Lambda function's series appear with its shield, at its first request.
import { Gauge } from 'prom-client'
import type { Registry } from 'prom-client'
import type { PermitLimiter } from './concurrency-limiter.port.js'

export interface GaugedUpstream {
  readonly name: string
  readonly limiter: Pick<PermitLimiter, 'limit' | 'queued'>
}

const GAUGES = [
  { name: 'gateway_upstream_concurrency_limit', help: 'Concurrency cap in force for an upstream (legacy, lambda:<function>): configured, reloaded or adaptive', read: (l: GaugedUpstream['limiter']) => l.limit },
  { name: 'gateway_upstream_queue_depth', help: 'Callers of this replica waiting for a permit to an upstream (legacy, lambda:<function>)', read: (l: GaugedUpstream['limiter']) => l.queued }
] as const

/** Registers both gauges on `registry`, replacing earlier ones (a rebuilt protection layer in one process). */
export function registerUpstreamGauges (registry: Registry, upstreams: () => Iterable<GaugedUpstream>): void {
  for (const g of GAUGES) {
    registry.removeSingleMetric(g.name)
    // eslint-disable-next-line no-new -- registered on the registry; prom-client calls collect()
    new Gauge({
      name: g.name,
      help: g.help,
      labelNames: ['upstream'],
      registers: [registry],
      collect () {
        for (const u of upstreams()) this.set({ upstream: u.name }, g.read(u.limiter))
      }
    })
  }
}
