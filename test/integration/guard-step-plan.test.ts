// The step plan (rollout.steps) advances 5 → 25 → 50 → 100 while the guard holds, one step per
// healthy stepIntervalMs, each step audited as guard; a breach mid-plan sets the route back to
// the last good step and the plan stays stopped while traffic is healthy again.
import t from 'tap'
import { afterGuardEntries, auditEntries, drive, metricsText, startGuardWorld } from '../helpers/guard-world.js'

const steps = [5, 25, 50, 100]
const guardOf = (rollbackTo: string) => ({ enabled: true, window: 100, minSamples: 20, maxErrorRateDelta: 0.05, maxP95Ratio: 20, rollbackTo })

t.test('advances 5 → 25 → 50 → 100 while healthy, one step per interval', async t => {
  const w = await startGuardWorld(t, { rollout: { percent: 5, steps, stepIntervalMs: 1000 }, guard: guardOf('legacy'), legacyLatencyMs: 5 })
  const state = () => w.gw.routeState.get('users.get')
  const started = Date.now()
  const answers = await drive(w.gw, { concurrency: 8, max: 20_000, until: () => state()?.rolloutPercent === 100 || Date.now() - started > 60_000 })
  t.same(answers.filter(a => a.status !== 200), [], 'all healthy')
  t.match(state(), { target: 'lambda', rolloutPercent: 100 }, `reached 100% after ${answers.length} requests in ${Date.now() - started} ms`)

  const audit = await afterGuardEntries(w.gw, 3)
  t.same(audit.map(a => [a.who, a.before.rolloutPercent, a.after.rolloutPercent]), [['guard', 5, 25], ['guard', 25, 50], ['guard', 50, 100]], 'three steps, by the guard')
  t.match(audit[0]?.reason, /^guard: step 5% → 25% \(healthy for 1000 ms; lambda n=\d+ 5xx=0 p95=[\d.]+ms; legacy n=\d+ 5xx=0 p95=[\d.]+ms\)$/)
  const times = (await auditEntries(w.gw)).map(a => Date.parse((a as unknown as { time: string }).time))
  for (let i = 1; i < times.length; i++) t.ok(times[i]! - times[i - 1]! >= 1000, `step ${i + 1} came at least one interval after step ${i}`)
  t.match(await metricsText(w.gw), /^gateway_guard_steps_total\{route="users.get"\} 3$/m)
  t.notMatch(await metricsText(w.gw), /gateway_guard_rollbacks_total\{/, 'no rollback')
})

t.test('a breach at 50% goes back to the last good step (25%) and the plan stops', async t => {
  const w = await startGuardWorld(t, { rollout: { percent: 5, steps, stepIntervalMs: 1000 }, guard: guardOf('last-good'), legacyLatencyMs: 5 })
  const state = () => w.gw.routeState.get('users.get')
  let faultedAt = 0
  let clearedAt = 0
  const started = Date.now()
  await drive(w.gw, {
    concurrency: 8,
    max: 40_000,
    until: () => (clearedAt > 0 && Date.now() - clearedAt > 3000) || Date.now() - started > 60_000,
    onAnswer: () => {
      const st = state()
      if (faultedAt === 0 && st?.rolloutPercent === 50) { w.fault('error'); faultedAt = Date.now() }
      if (faultedAt > 0 && clearedAt === 0 && st?.rolloutPercent !== 50) { w.fault(''); clearedAt = Date.now() }
    }
  })
  t.ok(faultedAt > 0 && clearedAt > 0, 'the Lambda failed at 50% and was healed after the rollback')
  t.match(state(), { target: 'lambda', rolloutPercent: 25 }, 'back at the last good step, still there 3 s (3 intervals) of healthy traffic later')
  const audit = await afterGuardEntries(w.gw, 3)
  t.same(audit.map(a => [a.who, a.before.rolloutPercent, a.after.rolloutPercent]), [['guard', 5, 25], ['guard', 25, 50], ['guard', 50, 25]], 'two steps, one rollback, no step after it')
  t.match(audit[2]?.reason, /^guard: errorRateDelta lambda=[\d.]+ legacy=0 threshold=0\.05 at 50% /)
  const metrics = await metricsText(w.gw)
  t.match(metrics, /^gateway_guard_steps_total\{route="users.get"\} 2$/m)
  t.match(metrics, /^gateway_guard_rollbacks_total\{route="users.get"\} 1$/m)
})
