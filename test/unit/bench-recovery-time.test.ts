import t from 'tap'
import { recoveryTimeS } from '../../bench/lib/recovery.js'
import { perSecond, schedule } from '../../bench/lib/per-second.js'

const series = (goodputs: number[], offered = 100): Array<{ t: number, offered: number, goodput: number }> =>
  goodputs.map((goodput, t) => ({ t, offered, goodput }))

t.test('recovery is the first second after the burst from which goodput holds at 95% of offered', async t => {
  // burst ends at t=3; 4 and 5 are poor, 6.. good
  const s = series([100, 100, 20, 10, 40, 94, 95, 100, 99, 100])
  t.equal(recoveryTimeS(s, 3), 3, 't=6 is 3 s after the burst end')
  t.equal(recoveryTimeS(series([100, 100, 100, 100]), 2), 0, 'already fine right after the burst')
})

t.test('a single good second inside a bad stretch does not count as recovered', async t => {
  const s = series([100, 10, 96, 10, 10, 100, 100, 100])
  t.equal(recoveryTimeS(s, 1), 4)
})

t.test('never recovering gives null', async t => {
  t.equal(recoveryTimeS(series([100, 10, 10, 10, 50]), 1), null)
  t.equal(recoveryTimeS([], 0), null)
})

t.test('schedule spaces requests evenly per phase and perSecond buckets them by due time', async t => {
  const due = schedule([{ rate: 10, durationS: 1 }, { rate: 20, durationS: 1 }])
  t.equal(due.length, 30)
  t.equal(due[10], 1000)
  t.equal(due[11], 1050)
  const records = due.map((dueMs, i) => ({
    dueMs,
    latencyMs: i === 0 ? 1500 : 5,
    status: i < 25 ? 200 : i < 28 ? 503 : 0,
    timedOut: i >= 28
  }))
  const s = perSecond(records, 1000)
  t.same(s[0], { t: 0, offered: 10, goodput: 9, shed: 0, failed: 0, timeouts: 1 }, 'a 2xx after the timeout is not goodput')
  t.same(s[1], { t: 1, offered: 20, goodput: 15, shed: 3, failed: 0, timeouts: 2 })
})
