// The guard never judges below minSamples; a disabled guard does nothing however bad the Lambda
// is; a config reload that enables it takes effect at once, with the counters registered once.
import t from 'tap'
import { admin, eventually, writeConfigFile, wiredConfig } from '../helpers/wired-gateway.js'
import { afterGuardEntries, auditEntries, getUser, metricsText, startGuardWorld } from '../helpers/guard-world.js'

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

async function failing (gw: { url: string }, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const a = await getUser(gw)
    if (a.target !== 'lambda' || a.status < 500) throw new Error(`expected a failing Lambda answer, got ${JSON.stringify(a)}`)
  }
}

t.test('no judgement below minSamples; the 50th Lambda failure trips it', async t => {
  const w = await startGuardWorld(t, { rollout: { percent: 100 }, guard: { enabled: true, window: 100, minSamples: 50 } })
  w.fault('error')
  await failing(w.gw, 49)
  await sleep(600) // > 2 timer judgements
  t.match(w.gw.app.guard?.view('users.get'), { samples: { lambda: 49 }, lastVerdict: { verdict: { ok: true, reason: 'insufficient-samples' } } }, '49 failures: not judged')
  t.match(w.gw.routeState.get('users.get'), { target: 'lambda', rolloutPercent: 100 })
  t.same(await auditEntries(w.gw), [])
  const view = await admin(w.gw, '/admin/routes/users.get/guard')
  t.match(view, { status: 200, json: { routeId: 'users.get', guard: { enabled: true, window: 100, minSamples: 50, samples: { lambda: 49, legacy: 0, comparisons: 0 }, lastVerdict: { at: /^\d{4}-/, verdict: { ok: true, reason: 'insufficient-samples' } }, rollbacks: 0, plan: null } } }, 'the admin API shows it')
  t.equal((await fetch(`${w.gw.adminUrl}/admin/routes/users.get/guard`)).status, 401, 'token required')
  t.equal((await admin(w.gw, '/admin/routes/nope/guard')).status, 404, 'unknown route')
  await failing(w.gw, 1)
  await eventually('the guard rolls back', () => w.gw.routeState.get('users.get')?.target === 'legacy', 2000)
  t.match((await afterGuardEntries(w.gw, 1))[0], { who: 'guard', reason: /^guard: errorRateDelta lambda=1 legacy=0 threshold=0\.05 at 100% \(lambda n=50 5xx=1 / })
})

t.test('guard disabled: nothing happens; enabled by a reload: rolls back, counters registered once', async t => {
  const w = await startGuardWorld(t, { rollout: { percent: 100 } })
  w.fault('error')
  await failing(w.gw, 80)
  await sleep(600)
  t.match(w.gw.routeState.get('users.get'), { target: 'lambda', rolloutPercent: 100 }, 'still on the failing Lambda')
  t.same(await auditEntries(w.gw), [], 'no change')
  t.equal(w.gw.app.guard?.view('users.get'), undefined, 'no guard state for the route')
  t.same((await admin(w.gw, '/admin/routes/users.get/guard')).json, { routeId: 'users.get', guard: { enabled: false } })
  t.notMatch(await metricsText(w.gw), /gateway_guard_rollbacks_total\{/)

  const doc = wiredConfig({ legacyUrl: w.legacyUrl, lambdaEndpoint: w.lambdaUrl, legacy: { maxConcurrency: 64 }, routes: [w.routeDoc({ rollout: { percent: 100 }, guard: { enabled: true, window: 100, minSamples: 20 } })] })
  writeConfigFile(w.gw.configPath, doc)
  const reloaded = await admin(w.gw, '/admin/reload', { method: 'POST', body: { reason: 'enable the guard' } })
  t.equal(reloaded.status, 200, JSON.stringify(reloaded.json))
  await eventually('guard configured', () => w.gw.app.guard?.view('users.get') !== undefined, 2000)
  await failing(w.gw, 20)
  await eventually('the guard rolls back', () => w.gw.routeState.get('users.get')?.target === 'legacy', 2000)
  t.same((await afterGuardEntries(w.gw, 1)).filter(e => e.action === 'route.patch').map(e => e.who), ['guard'])
  // The counter is bumped once the audited change returns, a moment after the state flipped.
  await eventually('the rollback is counted', async () => /gateway_guard_rollbacks_total\{/.test(await metricsText(w.gw)), 2000)
  const metrics = await metricsText(w.gw)
  t.equal(metrics.match(/^# HELP gateway_guard_rollbacks_total /gm)?.length, 1, 'registered once')
  t.match(metrics, /^gateway_guard_rollbacks_total\{route="users.get"\} 1$/m)
})
