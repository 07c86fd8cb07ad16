// Burst-shield figures: per-second goodput/shed/timeouts and the time to recover after the burst.
import t from 'tap'
import { recoveryTimeS } from '../../bench/lib/recovery.js'
import { perSecond, schedule } from '../../bench/lib/per-second.js'

const sec = (t: number, offered: number, goodput: number): { t: number, offered: number, goodput: number } => ({ t, offered, goodput })

t.test('recovery is the first second from which goodput holds ≥ 95% of offered', async t => {
  const samples = [sec(0, 100, 100), sec(1, 1000, 300), sec(2, 100, 10), sec(3, 100, 96), sec(4, 100, 90), sec(5, 100, 95), sec(6, 100, 99), sec(7, 100, 100)]
  t.equal(recoveryTimeS(samples, 2), 3, 'second 3 is fine but 4 is not; from 5 on it holds')
  t.equal(recoveryTimeS(samples, 5), 0, 'already fine in the first second after the burst')
  t.equal(recoveryTimeS(samples, 2, 0.95, 1), 1, 'hold of one second')
})

t.test('never recovering gives null; a short tail must be all fine', async t => {
  t.equal(recoveryTimeS([sec(0, 100, 10), sec(1, 100, 20)], 0), null)
  t.equal(recoveryTimeS([sec(0, 100, 10), sec(1, 100, 100)], 0), 1)
  t.equal(recoveryTimeS([], 0), null)
})

t.test('perSecond classifies answers by the second they were due', async t => {
  const rows = perSecond([
    { dueMs: 10, latencyMs: 20, status: 200, timedOut: false },
    { dueMs: 20, latencyMs: 1500, status: 200, timedOut: false },
    { dueMs: 900, latencyMs: 5, status: 503, timedOut: false },
    { dueMs: 1100, latencyMs: 5, status: 429, timedOut: false },
    { dueMs: 1200, latencyMs: 1000, status: 0, timedOut: true },
    { dueMs: 1300, latencyMs: 5, status: 500, timedOut: false }
  ], 1000)
  t.same(rows, [
    { t: 0, offered: 3, goodput: 1, shed: 1, failed: 0, timeouts: 1 },
    { t: 1, offered: 3, goodput: 0, shed: 1, failed: 1, timeouts: 1 }
  ])
})

t.test('schedule spaces requests evenly within each phase', async t => {
  const due = schedule([{ rate: 4, durationS: 1 }, { rate: 2, durationS: 1 }])
  t.same(due, [0, 250, 500, 750, 1000, 1500])
})
