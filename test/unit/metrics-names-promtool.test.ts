// `promtool check metrics` rejects a gauge named like a counter ("non-counter metrics should not
// have _total suffix"); prom-client's default metrics had three (nodejs_active_*_total). The
// registry with process metrics has none, and the per-type gauges they summed are still there.
// The real promtool runs on a live gateway in test/observability (npm run test:observability).
import t from 'tap'
import { createMetrics } from '../../gateway/src/ops/metrics.js'

t.test('no gauge or histogram ends in _total; nodejs_active_* by type remain', async t => {
  const { registry } = createMetrics({ defaultMetrics: true })
  const metrics = await registry.getMetricsAsJSON()
  const misnamed = metrics.filter(m => String(m.type) !== 'counter' && m.name.endsWith('_total')).map(m => m.name)
  t.same(misnamed, [], 'only counters end in _total')
  const names = metrics.map(m => m.name)
  for (const kind of ['handles', 'requests', 'resources']) {
    t.ok(names.includes(`nodejs_active_${kind}`), `nodejs_active_${kind}{type} kept`)
    t.notOk(names.includes(`nodejs_active_${kind}_total`), `nodejs_active_${kind}_total dropped`)
  }
  t.ok(names.includes('process_cpu_seconds_total') && names.includes('gateway_requests_total'), 'the counters are untouched')
})
