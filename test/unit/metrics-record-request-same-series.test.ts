// metrics.recordRequest (the request log hook's hot path: counts summed per label set and added
// on read, cached duration children) exposes exactly what requests.inc + requestDuration.observe
// would: same names, labels, counts, buckets and sums, at every read.
import t from 'tap'
import { createMetrics } from '../../gateway/src/ops/metrics.js'

const traffic: Array<[string, string, number, number]> = [
  ['users.get', 'legacy', 200, 0.004], ['users.get', 'legacy', 200, 0.3], ['users.get', 'lambda', 200, 0.02],
  ['users.get', 'legacy', 503, 1.2], ['default', 'legacy', 404, 0.001], ['default', 'none', 400, 0]
]

async function exposition (m: ReturnType<typeof createMetrics>): Promise<string> {
  const text = await m.registry.metrics()
  return text.split('\n').filter(l => l.startsWith('gateway_request')).join('\n')
}

t.test('recordRequest matches inc + observe, read after read', async (t) => {
  const fast = createMetrics()
  const plain = createMetrics()
  for (let round = 0; round < 3; round++) {
    for (const [route, target, status, seconds] of traffic) {
      fast.recordRequest(route, target, status, seconds)
      plain.requests.inc({ route, target, status: String(status) })
      plain.requestDuration.observe({ route, target }, seconds)
    }
    const expected = await exposition(plain)
    t.match(expected, /gateway_requests_total\{route="users.get",target="legacy",status="200"\} \d/)
    t.equal(await exposition(fast), expected, `round ${round}`)
    t.same(await fast.requests.get(), await plain.requests.get(), 'get() flushes too')
  }
})

t.test('a label the counter does not know is refused as before', async (t) => {
  const m = createMetrics()
  t.throws(() => { m.requests.inc({ route: 'r', target: 'legacy', status: '200', extra: 'x' } as never) })
  m.recordRequest('r', 'legacy', 200, 0.01)
  t.match(await m.registry.metrics(), /gateway_requests_total\{route="r",target="legacy",status="200"\} 1\n/)
})
