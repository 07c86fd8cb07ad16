// A Lambda that starts failing during a 50% rollout is rolled back to legacy by the guard within
// the window: the route state (persisted), the audit entry with who = guard and the figures, the
// warn log line, the metric, and every later request answered by legacy.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterGuardEntries, auditEntries, drive, getUser, metricsText, routeState, startGuardWorld } from '../helpers/guard-world.js'

const guard = { enabled: true, window: 200, minSamples: 50, maxErrorRateDelta: 0.05, maxP95Ratio: 20 }

t.test('failing Lambda at 50% is rolled back to legacy within the window, audited as guard', async t => {
  const w = await startGuardWorld(t, { rollout: { percent: 50 }, guard })

  // Healthy: both sides answer, nothing changes.
  const healthy = await drive(w.gw, { concurrency: 4, max: 150 })
  t.same(healthy.filter(a => a.status !== 200), [], 'healthy answers are all 200')
  t.ok(healthy.filter(a => a.target === 'lambda').length >= 50, 'the Lambda took its share (enough to be judged)')
  t.match(await routeState(w.gw), { target: 'lambda', rolloutPercent: 50 }, 'a healthy rollout is left alone')
  t.same(await auditEntries(w.gw), [], 'no change was made')

  // The Lambda starts failing: count its answers until 20 in a row came from legacy.
  w.fault('error')
  let lambdaAfterFault = 0
  let legacyStreak = 0
  await drive(w.gw, {
    concurrency: 4,
    max: 3000,
    until: () => legacyStreak >= 20,
    onAnswer: a => {
      if (a.target === 'lambda') { lambdaAfterFault++; legacyStreak = 0 } else legacyStreak++
    }
  })
  t.ok(legacyStreak >= 20, 'the route went back to legacy')
  t.ok(lambdaAfterFault > 0 && lambdaAfterFault <= guard.window, `rolled back within the window: ${lambdaAfterFault} Lambda answers after the fault (window ${guard.window})`)

  const st = await routeState(w.gw)
  t.match(st, { target: 'legacy', rolloutPercent: 50, sources: { target: 'runtime' } }, 'target is legacy (a runtime override)')
  const persisted = JSON.parse(readFileSync(join(w.gw.stateDir, 'gateway-state.json'), 'utf8'))
  t.match(persisted.routes['users.get'], { target: 'legacy' }, 'the rollback is persisted in the state file')

  const audit = await afterGuardEntries(w.gw, 1)
  t.equal(audit.length, 1, 'one audited change')
  t.match(audit[0], {
    who: 'guard',
    action: 'route.patch',
    routeId: 'users.get',
    before: { target: 'lambda', rolloutPercent: 50 },
    after: { target: 'legacy', rolloutPercent: 50 }
  })
  t.match(audit[0]?.reason, /^guard: errorRateDelta lambda=0\.\d+ legacy=0 threshold=0\.05 at 50% \(lambda n=\d+ 5xx=0\.\d+ p95=[\d.]+ms; legacy n=\d+ 5xx=0 p95=[\d.]+ms; mismatches n=0 rate=0\)$/, 'the figures that tripped it')

  const warns = w.logs.filter(l => l.msg === 'guard rolled back a rollout')
  t.equal(warns.length, 1, 'one warn line')
  t.match(warns[0], { level: 'warn', routeId: 'users.get', rolloutPercent: 50, patch: { target: 'legacy' }, breach: { metric: 'errorRateDelta', threshold: 0.05 }, stats: { lambda: { samples: Number }, legacy: { samples: Number } } })

  const metrics = await metricsText(w.gw)
  t.match(metrics, /^gateway_guard_rollbacks_total\{route="users.get"\} 1$/m, 'counted once')
  t.match(metrics, /^gateway_guard_steps_total 0$|^# TYPE gateway_guard_steps_total counter$/m, 'the step counter is registered')

  // Everything after goes to legacy, and the failing Lambda is not called any more.
  for (let i = 0; i < 30; i++) t.same(await getUser(w.gw), { status: 200, target: 'legacy' })
  t.equal(await routeState(w.gw).then(s => s.target), 'legacy', 'the guard does not touch a legacy route')
})
