import t from 'tap'
import { costDelta, costPerRequest } from '../../bench/lib/profile-diff.js'

const frame = (functionName: string, url = ''): { functionName: string, url: string, lineNumber: number } => ({ functionName, url, lineNumber: 0 })

t.test('CPU µs per request by area and function, idle excluded, and the largest increase first', async t => {
  // 100 samples over 100 ms = 1000 µs each; 50 requests
  const profile = {
    startTime: 0,
    endTime: 100_000,
    samples: Array.from({ length: 100 }, () => 1),
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 3, 4] },
      { id: 2, callFrame: frame('(idle)'), hitCount: 50 },
      { id: 3, callFrame: frame('acquire', 'file:///r/dist/gateway/src/protection/concurrency-limiter.js'), hitCount: 30 },
      { id: 4, callFrame: frame('writev'), hitCount: 20 }
    ]
  }
  const cost = costPerRequest(profile, 50)
  t.equal(cost.totalUs, 1000, '50 busy samples × 1000 µs / 50 requests')
  t.equal(cost.areas.get('gateway/src/protection'), 600)
  t.equal(cost.areas.get('(native)'), 400)
  const base = new Map([['(native)', 400], ['node_modules/undici', 100]])
  const rows = costDelta(base, cost.areas, cost.totalUs)
  t.same(rows[0], { key: 'gateway/src/protection', baseUs: 0, otherUs: 600, deltaUs: 600, shareOfOther: 60 })
  t.same(rows[rows.length - 1], { key: 'node_modules/undici', baseUs: 100, otherUs: 0, deltaUs: -100, shareOfOther: 0 })
})
