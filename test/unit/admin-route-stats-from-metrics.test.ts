// The per-route figures of `gatewayctl status` come from the gateway's own metrics: requests and
// 5xx share per side from gateway_requests_total, p95 from the duration histogram.
import t from 'tap'
import { createMetrics } from '../../gateway/src/ops/metrics.js'
import { quantileMs, routeStatsFromMetrics } from '../../gateway/src/ops/admin-routes-stats.js'

t.test('requests, error rate and p95 per route and side', async t => {
  const m = createMetrics()
  m.requests.inc({ route: 'users.get', target: 'legacy', status: '200' }, 90)
  m.requests.inc({ route: 'users.get', target: 'legacy', status: '503' }, 10)
  m.requests.inc({ route: 'users.get', target: 'lambda', status: '200' }, 20)
  m.requests.inc({ route: 'default', target: 'none', status: '400' }, 5)
  for (let i = 0; i < 100; i++) m.requestDuration.observe({ route: 'users.get', target: 'legacy' }, i < 90 ? 0.02 : 0.4)
  for (let i = 0; i < 20; i++) m.requestDuration.observe({ route: 'users.get', target: 'lambda' }, 0.007)
  const stats = await routeStatsFromMetrics(m)()
  t.same(Object.keys(stats), ['users.get'], 'only routed sides are reported')
  t.match(stats['users.get'], { legacy: { requests: 100, errorRate: 0.1 }, lambda: { requests: 20, errorRate: 0 } })
  const legacyP95 = stats['users.get']!.legacy.p95Ms!
  t.ok(legacyP95 > 250 && legacyP95 <= 500, `legacy p95 in the 250-500 ms bucket: ${legacyP95}`)
  const lambdaP95 = stats['users.get']!.lambda.p95Ms!
  t.ok(lambdaP95 > 5 && lambdaP95 <= 10, `lambda p95 in the 5-10 ms bucket: ${lambdaP95}`)
})

t.test('quantile edge cases', async t => {
  t.equal(quantileMs([], 0.95), null)
  t.equal(quantileMs([[0.1, 0], [Infinity, 0]], 0.95), null, 'no samples')
  t.equal(quantileMs([[0.1, 0], [1, 0], [Infinity, 10]], 0.95), 1000, 'beyond the last bound: that bound')
  t.equal(quantileMs([[0.1, 10], [Infinity, 10]], 0.5), 50, 'interpolated inside the first bucket')
})
