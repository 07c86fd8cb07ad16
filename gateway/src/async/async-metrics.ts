// Metrics of the async integration on the app's registry (docs/async.md "Metrics"):
//   gateway_async_jobs{state}                      jobs per state, read from the queue at scrape time
//   gateway_async_deliveries_total{route,outcome}  delivery attempts by what they came to:
//     delivered | failed (permanent 4xx) | transient (5xx, 408, 429, network: retried or dead)
//     | shed (the legacy shield made it wait: no attempt burned) | interrupted (shutdown)
//   gateway_async_swept_total                      settled jobs deleted by the retention sweep
//   gateway_async_store_bytes                      what the store takes: SQLite jobs.db + WAL on
//     disk, Redis an estimate of the queue's keys (MEMORY USAGE, sampled), read at scrape time
// The counter is measured around the shield the worker calls, so the worker stays unaware of it.
import { Counter, Gauge } from 'prom-client'
import type { Registry } from 'prom-client'
import { classifyError, classifyStatus } from './delivery-outcome.js'
import type { DeliveryResponse, DeliveryShield } from './deliver-job.js'
import { JOB_STATES } from './job-queue.port.js'
import type { JobQueue } from './job-queue.port.js'

export type DeliveryMetricOutcome = 'delivered' | 'failed' | 'transient' | 'shed' | 'interrupted'

const LABEL = { delivered: 'delivered', failed: 'failed', transient: 'transient', wait: 'shed' } as const

export interface AsyncMetrics {
  deliveries: Counter<'route' | 'outcome'>
  swept: Counter
  /** The worker's shield with every attempt counted; without an inner shield, a direct call. */
  measured: (inner: () => DeliveryShield | undefined) => DeliveryShield
}

export function createAsyncMetrics (registry: Registry, queue: Pick<JobQueue, 'counts' | 'storeBytes'>): AsyncMetrics {
  const registers = [registry]
  // A name already taken (two integrations on one registry in a test) would throw: reuse it.
  const existing = registry.getSingleMetric('gateway_async_deliveries_total') as Counter<'route' | 'outcome'> | undefined
  const deliveries = existing ?? new Counter({
    name: 'gateway_async_deliveries_total',
    help: 'Async job delivery attempts to legacy, by route and outcome',
    labelNames: ['route', 'outcome'],
    registers
  })
  if (registry.getSingleMetric('gateway_async_jobs') === undefined) {
    // eslint-disable-next-line no-new -- registered on the registry; prom-client calls collect()
    new Gauge({
      name: 'gateway_async_jobs',
      help: 'Async jobs in the queue, by state (queued, delivering, delivered, failed, dead)',
      labelNames: ['state'],
      registers,
      async collect () {
        try {
          const counts = await queue.counts()
          for (const state of JOB_STATES) this.set({ state }, counts[state])
        } catch {
          // The queue is closed (shutdown) or unreachable: keep the last values rather than fail the scrape.
        }
      }
    })
  }
  const swept = registry.getSingleMetric('gateway_async_swept_total') as Counter | undefined ?? new Counter({
    name: 'gateway_async_swept_total',
    help: 'Settled async jobs (delivered, failed) deleted by the retention sweep (async.retention)',
    registers
  })
  if (registry.getSingleMetric('gateway_async_store_bytes') === undefined) {
    // eslint-disable-next-line no-new -- registered on the registry; prom-client calls collect()
    new Gauge({
      name: 'gateway_async_store_bytes',
      help: 'Bytes the async job store takes: SQLite jobs.db and its WAL on disk; Redis an estimate of the queue keys',
      registers,
      async collect () {
        try { this.set(await queue.storeBytes()) } catch { /* closed or unreachable: keep the last value */ }
      }
    })
  }
  const count = (route: string, outcome: DeliveryMetricOutcome): void => { deliveries.inc({ route, outcome }) }
  return {
    deliveries,
    swept,
    measured: (inner) => ({
      async run<T> (ctx: Parameters<DeliveryShield['run']>[0], fn: (signal?: AbortSignal) => Promise<T>): Promise<T> {
        const shield = inner()
        try {
          const res = shield ? await shield.run(ctx, fn) : await fn(ctx.signal)
          count(ctx.routeId, LABEL[classifyStatus((res as unknown as DeliveryResponse).status).kind])
          return res
        } catch (err) {
          count(ctx.routeId, ctx.signal?.aborted === true ? 'interrupted' : LABEL[classifyError(err).kind])
          throw err
        }
      }
    })
  }
}
