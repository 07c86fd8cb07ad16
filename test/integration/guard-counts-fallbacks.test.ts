// A route with `fallback: legacy`: once the Lambda's breaker opens, clients get legacy's answers
// (x-gateway-fallback) — but the Lambda still failed them. The guard counts each fallback as a
// Lambda failure, so the rollout is still rolled back; otherwise the window would stop filling
// at the breaker's volume threshold and the guard would never judge.
import t from 'tap'
import { eventually } from '../helpers/wired-gateway.js'
import { afterGuardEntries, getUser, startGuardWorld } from '../helpers/guard-world.js'

t.test('fallbacks to legacy count as Lambda failures', async t => {
  const w = await startGuardWorld(t, {
    rollout: { percent: 100 },
    guard: { enabled: true, window: 100, minSamples: 40 },
    route: { fallback: 'legacy' }
  })
  w.fault('error')
  const answers = []
  for (let i = 0; i < 40; i++) answers.push(await getUser(w.gw))
  const failed = answers.filter(a => a.target === 'lambda' && a.status >= 500).length
  const fellBack = answers.filter(a => a.target === 'legacy' && a.status === 200).length
  t.ok(failed > 0 && failed < 40, `${failed} Lambda errors reached clients before the breaker opened`)
  t.equal(failed + fellBack, 40, `${fellBack} requests fell back to legacy after that`)
  await eventually('the guard rolls back', () => w.gw.routeState.get('users.get')?.target === 'legacy', 2000)
  t.match((await afterGuardEntries(w.gw, 1))[0], { who: 'guard', reason: /^guard: errorRateDelta lambda=1 legacy=0 threshold=0\.05 at 100% \(lambda n=40 5xx=1 / })
})
