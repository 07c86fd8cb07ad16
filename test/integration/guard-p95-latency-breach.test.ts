// A Lambda that answers correctly but slowly trips the guard's p95 ratio during a rollout: the
// route goes back to legacy with the two p95s in the audited reason.
import t from 'tap'
import { afterGuardEntries, drive, metricsText, routeState, startGuardWorld } from '../helpers/guard-world.js'

const guard = { enabled: true, window: 200, minSamples: 20, maxErrorRateDelta: 0.05, maxP95Ratio: 4 }

t.test('a slow Lambda (p95 far above legacy) is rolled back with both p95s in the reason', async t => {
  const w = await startGuardWorld(t, { rollout: { percent: 50 }, guard, legacyLatencyMs: 20 })
  w.fault('slow:400')
  let legacyStreak = 0
  const answers = await drive(w.gw, {
    concurrency: 6,
    max: 1500,
    until: () => legacyStreak >= 20,
    onAnswer: a => { legacyStreak = a.target === 'lambda' ? 0 : legacyStreak + 1 }
  })
  t.same(answers.filter(a => a.status !== 200), [], 'every answer was a 200: only latency was bad')
  const slow = answers.filter(a => a.target === 'lambda').length
  t.ok(slow >= guard.minSamples && slow <= guard.window, `judged after the minimum sample, within the window (${slow} slow Lambda answers)`)
  t.match(await routeState(w.gw), { target: 'legacy' })
  const audit = await afterGuardEntries(w.gw, 1)
  t.equal(audit.length, 1)
  t.equal(audit[0]?.who, 'guard')
  const m = /^guard: p95Ratio lambda=([\d.]+) legacy=([\d.]+) threshold=4 at 50% /.exec(audit[0]?.reason ?? '')
  t.ok(m, `reason names the p95s: ${audit[0]?.reason}`)
  t.ok(Number(m?.[1]) >= 400, 'Lambda p95 ≥ its 400 ms delay')
  t.ok(Number(m?.[2]) >= 20, 'legacy p95 at least its 20 ms service time')
  t.ok(Number(m?.[1]) / Number(m?.[2]) > 4, 'the reported figures exceed the ratio')
  t.match(await metricsText(w.gw), /^gateway_guard_rollbacks_total\{route="users.get"\} 1$/m)
})
