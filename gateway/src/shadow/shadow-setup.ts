// Wiring of shadow traffic for app.ts: one mismatch store, noise learner and per-route totals
// shared by the public dispatcher (records) and the admin diffs route (reads).
import type { FastifyBaseLogger, FastifyPluginAsync } from 'fastify'
import type { Dispatcher } from 'undici'
import type { GatewayMetrics } from '../ops/metrics.js'
import { MismatchStore } from './mismatch-store.js'
import { NoiseLearner } from './noise.js'
import { shadowDispatch } from './shadow-dispatch.plugin.js'
import { ShadowStats } from './shadow-run.js'
import type { ComparisonResult, ShadowRecorder } from './shadow-run.js'

export interface ShadowTrafficOptions {
  legacyDispatcher: Pick<Dispatcher, 'request'>
  metrics: Pick<GatewayMetrics, 'shadowComparisons'>
  logger: FastifyBaseLogger
  /** Each comparison's result (not sheds): the rollout guard's mismatch rate. */
  onComparison?: ((routeId: string, result: ComparisonResult) => void) | undefined
  now?: () => number
  random?: () => number
  /** Where mismatches go; default an in-process MismatchStore (distributed mode: RedisMismatchStore). */
  store?: MismatchStore
}

export interface ShadowTraffic {
  /** For the public instance, after the routing hook. */
  publicPlugin: FastifyPluginAsync
  store: MismatchStore
  noise: NoiseLearner
  stats: ShadowStats
}

export function createShadowTraffic (o: ShadowTrafficOptions): ShadowTraffic {
  const recorder: ShadowRecorder = {
    store: o.store ?? new MismatchStore(),
    noise: new NoiseLearner(),
    stats: new ShadowStats(),
    count: (route, result) => { o.metrics.shadowComparisons.inc({ route, result }) },
    onComparison: o.onComparison,
    onError: (route, err) => { o.logger.debug({ route, err }, 'shadow call failed') },
    now: o.now ?? Date.now
  }
  return {
    publicPlugin: shadowDispatch({ legacyDispatcher: o.legacyDispatcher, recorder, ...(o.random ? { random: o.random } : {}) }),
    store: recorder.store,
    noise: recorder.noise,
    stats: recorder.stats
  }
}
