// One tiny bounded bench run against a real loopback origin: the closed-loop (autocannon) and the
// open-loop (fixed-rate) generators produce the figures the scenarios tabulate.
import t from 'tap'
import { startOrigin } from '../../bench/lib/origin.js'
import { closedLoop } from '../../bench/lib/closed-loop.js'
import { openLoop } from '../../bench/lib/open-loop.js'
import { perSecond } from '../../bench/lib/per-second.js'

t.test('closed and open loop against the bare origin', async t => {
  const origin = await startOrigin(0)
  t.teardown(() => origin.close())

  const closed = await closedLoop({ url: origin.url + '/api/budgets/1', connections: 4, durationS: 1 })
  t.ok(closed.rps > 50, `closed loop served ${closed.rps} req/s`)
  t.equal(closed.errors, 0)
  t.ok(closed.p50 <= closed.p99, 'percentiles are ordered')

  const run = await openLoop({ url: origin.url, path: '/api/budgets/1', phases: [{ rate: 50, durationS: 1 }], timeoutMs: 2000 })
  t.equal(run.records.length, 50, 'the open loop sends exactly rate × duration requests')
  const seconds = perSecond(run.records, 2000)
  t.equal(seconds[0]?.offered, 50)
  t.ok((seconds[0]?.goodput ?? 0) >= 45, `goodput ${seconds[0]?.goodput} of 50 on an idle origin (generous for a loaded CPU)`)
})
