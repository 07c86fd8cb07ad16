// gateway_upstream_inflight{upstream} from an in-flight count (metrics.inflightCount) prints as the
// gauge's own inc/dec did: no series before the first call, the current count on every read,
// the other upstreams' inc/dec series untouched.
import t from 'tap'
import { createMetrics } from '../../gateway/src/ops/metrics.js'
import type { GatewayMetrics } from '../../gateway/src/ops/metrics.js'

const series = async (m: GatewayMetrics): Promise<string[]> =>
  (await m.registry.metrics()).split('\n').filter(line => line.startsWith('gateway_upstream_inflight{'))

t.test('a count reads like inc/dec on the gauge, read after read', async t => {
  const counted = createMetrics()
  const plain = createMetrics()
  const legacy = counted.inflightCount('legacy')
  t.equal(counted.inflightCount('legacy'), legacy, 'one count per upstream')
  t.strictSame(await series(counted), await series(plain), 'nothing before the first call')
  t.strictSame(await series(counted), [])
  const steps: Array<'inc' | 'dec'> = ['inc', 'inc', 'dec', 'inc', 'dec', 'dec']
  for (const step of steps) {
    legacy[step]()
    plain.upstreamInflight[step]({ upstream: 'legacy' })
    counted.upstreamInflight.inc({ upstream: 'lambda:Users-DEV' })
    plain.upstreamInflight.inc({ upstream: 'lambda:Users-DEV' })
    t.strictSame(await series(counted), await series(plain), `after ${step}`)
  }
  t.ok((await series(counted)).includes('gateway_upstream_inflight{upstream="legacy"} 0'), 'back to 0, still shown')
})
