// Distributed mode (REDIS_URL): the guard's rollback goes through the shared route state, so a
// rollback decided on one replica is in effect on the others within a second, with one shared
// audit trail. When several replicas see the failures at once, each may roll back: the result
// is the same state (legacy), possibly audited more than once — measured and reported here.
import { redisTest } from '../helpers/redis-gate.js'
import { SHARED_REDIS_URL, testPrefix } from '../helpers/redis.js'
import { eventually, startWiredGateway } from '../helpers/wired-gateway.js'
import { afterGuardEntries, getUser, startGuardWorld } from '../helpers/guard-world.js'

const guard = { enabled: true, window: 100, minSamples: 20 }

redisTest('a rollback decided on replica A is in effect on replica B', async t => {
  const env = { REDIS_URL: SHARED_REDIS_URL }
  const w = await startGuardWorld(t, { rollout: { percent: 100 }, guard, env, extra: { distributed: { expectedReplicas: 2, keyPrefix: testPrefix(t) } } })
  const a = w.gw
  const b = await startWiredGateway(t, { doc: w.doc, env })
  t.equal(a.stateMode, 'redis')
  t.equal(b.stateMode, 'redis')
  w.fault('error')
  const answers = []
  for (let i = 0; i < 20; i++) answers.push(await getUser(a))
  t.ok(answers.every(x => x.target === 'lambda' && x.status >= 500), 'A answered 20 times from the failing Lambda')
  await eventually('A rolls back', () => a.routeState.get('users.get')?.target === 'legacy', 2000)
  await eventually('B follows', () => b.routeState.get('users.get')?.target === 'legacy', 1000)
  t.same(await getUser(b), { status: 200, target: 'legacy' }, 'B serves legacy')
  const onB = await afterGuardEntries(b, 1)
  t.same(onB.map(e => [e.who, e.after.target]), [['guard', 'legacy']], 'one shared audit trail: the guard entry made on A')
  t.equal(b.app.guard?.view('users.get')?.rollbacks, 0, 'B did not roll back itself')
})

redisTest('failures seen by both replicas at once: both may roll back, the state is legacy either way', async t => {
  const env = { REDIS_URL: SHARED_REDIS_URL }
  const w = await startGuardWorld(t, { rollout: { percent: 100 }, guard, env, extra: { distributed: { expectedReplicas: 2, keyPrefix: testPrefix(t) } } })
  const b = await startWiredGateway(t, { doc: w.doc, env })
  w.fault('error')
  await Promise.all([w.gw, b].map(async gw => { for (let i = 0; i < 20; i++) await getUser(gw) }))
  await eventually('both on legacy', () => w.gw.routeState.get('users.get')?.target === 'legacy' && b.routeState.get('users.get')?.target === 'legacy', 2000)
  const entries = (await afterGuardEntries(b, 1)).filter(e => e.who === 'guard')
  t.comment(`guard audit entries for one incident seen by two replicas: ${entries.length}`)
  t.ok(entries.length >= 1 && entries.length <= 2, `${entries.length} guard entries`)
  t.ok(entries.every(e => e.after.target === 'legacy'), 'every one sets legacy (idempotent)')
})
