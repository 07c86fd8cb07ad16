// The burst-shield breakdown counts legacy calls under way from the forwarder's in-flight count:
// once the forwarder stopped calling the gauge's inc/dec (metrics.inflightCount), a probe on the
// gauge saw no call at all and booked every held permit as the gateway's hand-off. Real metrics
// here; a build with only the gauge (gateway@baseline) is still observed through the gauge.
import t from 'tap'
import { createMetrics } from '../../gateway/src/ops/metrics.js'
import { observeLegacyCalls } from '../../bench/lib/legacy-calls-probe.js'

t.test('the forwarder\'s legacy count reaches the probe and still counts for the gauge', async t => {
  const metrics = createMetrics({ defaultMetrics: false })
  const deltas: number[] = []
  observeLegacyCalls(metrics, { callsChanged: d => { deltas.push(d) } })
  const count = metrics.inflightCount('legacy')
  count.inc(); count.inc(); count.dec()
  metrics.inflightCount('lambda:Users-DEV').inc()
  t.same(deltas, [1, 1, -1], 'legacy calls only')
  const gauge = await metrics.registry.getSingleMetricAsString('gateway_upstream_inflight')
  t.match(gauge, /gateway_upstream_inflight\{upstream="legacy"\} 1/, 'the gauge still reads the count')
})

t.test('a build without inflightCount is observed through the gauge', async t => {
  const calls: Array<{ upstream?: string }> = []
  const gauge = { inc: (labels?: { upstream?: string }) => { calls.push(labels ?? {}) }, dec: (labels?: { upstream?: string }) => { calls.push(labels ?? {}) } }
  const deltas: number[] = []
  observeLegacyCalls({ upstreamInflight: gauge }, { callsChanged: d => { deltas.push(d) } })
  gauge.inc({ upstream: 'legacy' }); gauge.inc({ upstream: 'lambda:Users-DEV' }); gauge.dec({ upstream: 'legacy' })
  t.same(deltas, [1, -1])
  t.equal(calls.length, 3, 'the gauge itself still called')
})
