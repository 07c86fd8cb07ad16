// The guard on a real RouteStateService (memory store and audit): any change of the route —
// an operator's, its own, another replica's (a store save from elsewhere) — restarts the window;
// a raise or a flip to lambda restarts the step timer, a lowering or a flip to legacy stops it.
import t from 'tap'
import { Registry } from 'prom-client'
import { createMemoryAuditLog } from '../../gateway/src/ops/audit-log.js'
import { createMemoryStateStore } from '../../gateway/src/ops/route-state-store.js'
import { RouteStateService } from '../../gateway/src/ops/route-state-service.js'
import { GuardController } from '../../gateway/src/guard/guard-controller.js'
import type { GuardRouteConfig } from '../../gateway/src/guard/guard-ports.js'
import { planAfterChange } from '../../gateway/src/guard/plan-after-change.js'

const cfg: GuardRouteConfig = { enabled: true, window: 100, minSamples: 20, maxErrorRateDelta: 0.05, maxP95Ratio: 3, maxMismatchRate: 0.2, rollbackTo: 'legacy', steps: [10, 50, 100], stepIntervalMs: 1000 }

async function setup (percent = 10) {
  const audit = createMemoryAuditLog()
  const store = createMemoryStateStore()
  const svc = new RouteStateService({ store, audit, routes: [{ id: 'users.get', methods: ['GET'], path: '/api/users/:id', lambdaFunction: 'Users', config: { target: 'lambda', rolloutPercent: percent, shadow: { enabled: false } } }] })
  await svc.init()
  let clock = 0
  const guard = new GuardController({ routes: { 'users.get': cfg }, state: svc, log: { warn: () => {}, info: () => {} }, now: () => clock, registry: new Registry() })
  t.teardown(() => guard.close())
  const healthy = (n: number) => { for (let i = 0; i < n; i++) { guard.recordOutcome('users.get', 'legacy', 200, 10); guard.recordOutcome('users.get', 'lambda', 200, 10) } }
  return { svc, audit, store, guard, healthy, advance: (ms: number) => { clock += ms } }
}

t.test('planAfterChange: the rule reads only the states', async t => {
  t.equal(planAfterChange({ target: 'lambda', rolloutPercent: 10 }, { target: 'lambda', rolloutPercent: 10 }), 'unchanged')
  t.equal(planAfterChange({ target: 'legacy', rolloutPercent: 10 }, { target: 'lambda', rolloutPercent: 10 }), 'new-rollout')
  t.equal(planAfterChange({ target: 'lambda', rolloutPercent: 10 }, { target: 'lambda', rolloutPercent: 50 }), 'restart')
  t.equal(planAfterChange({ target: 'lambda', rolloutPercent: 50 }, { target: 'lambda', rolloutPercent: 10 }), 'stop')
  t.equal(planAfterChange({ target: 'lambda', rolloutPercent: 50 }, { target: 'legacy', rolloutPercent: 50 }), 'stop')
  t.equal(planAfterChange(undefined, { target: 'lambda', rolloutPercent: 50 }), 'new-rollout')
})

t.test('an operator change restarts the window: failures before it are not held against the new setting', async t => {
  const s = await setup(10)
  for (let i = 0; i < 15; i++) s.guard.recordOutcome('users.get', 'lambda', 502, 10)
  t.equal(s.guard.view('users.get')?.samples.lambda, 15)
  const routedBefore = performance.now()
  await s.svc.patch('users.get', { rolloutPercent: 20 }, { who: 'alice', reason: 'widen' })
  t.same(s.guard.view('users.get')?.samples, { legacy: 0, lambda: 0, comparisons: 0 }, 'window restarted')
  s.guard.recordOutcome('users.get', 'lambda', 502, 10, routedBefore)
  t.equal(s.guard.view('users.get')?.samples.lambda, 0, 'a request routed before the change finishing after it is not judged')
  s.guard.recordOutcome('users.get', 'lambda', 502, 10, performance.now())
  t.equal(s.guard.view('users.get')?.samples.lambda, 1, 'one routed after it is')
  for (let i = 0; i < 14; i++) s.guard.recordOutcome('users.get', 'lambda', 502, 10)
  t.match(await s.guard.check('users.get'), { ok: true, reason: 'insufficient-samples' }, '15 + 15 failures never made one judged window')
  for (let i = 0; i < 5; i++) s.guard.recordOutcome('users.get', 'lambda', 502, 10)
  t.match(await s.guard.check('users.get'), { breach: { metric: 'errorRateDelta' } })
  t.match(s.svc.get('users.get'), { target: 'legacy' })
  t.same(s.audit.entries.map(e => e.who), ['alice', 'guard'])
})

t.test('a lowering stops the plan; a raise restarts its timer; a flip back to lambda starts over', async t => {
  const s = await setup(10)
  s.advance(1000); s.healthy(20); await s.guard.check('users.get')
  t.equal(s.svc.get('users.get')?.rolloutPercent, 50, 'stepped 10 → 50')
  await s.svc.patch('users.get', { rolloutPercent: 30 }, { who: 'alice', reason: 'hold on' })
  s.advance(5000); s.healthy(20); await s.guard.check('users.get')
  t.equal(s.svc.get('users.get')?.rolloutPercent, 30, 'a lowering stopped the plan')
  t.equal(s.guard.view('users.get')?.plan?.nextStepAt, null)
  await s.svc.patch('users.get', { rolloutPercent: 40 }, { who: 'alice', reason: 'go on' })
  s.advance(500); s.healthy(20); await s.guard.check('users.get')
  t.equal(s.svc.get('users.get')?.rolloutPercent, 40, 'the timer restarted at the raise: not yet')
  s.advance(500); s.healthy(20); await s.guard.check('users.get')
  t.equal(s.svc.get('users.get')?.rolloutPercent, 50, 'one interval after the raise: next step')
  // Another replica's guard rolled back (a save arriving through the shared store).
  const remote = await s.store.load()
  await s.store.save({ ...remote!, routes: { 'users.get': { target: 'legacy', rolloutPercent: 50 } } })
  t.equal(s.svc.get('users.get')?.target, 'legacy')
  await s.svc.patch('users.get', { target: 'lambda', rolloutPercent: 10 }, { who: 'alice', reason: 'fixed, again' })
  s.advance(1000); s.healthy(20); await s.guard.check('users.get')
  t.equal(s.svc.get('users.get')?.rolloutPercent, 50, 'a new rollout runs the plan again')
})

t.test('setRoutes: reconfigure keeps a same-size window, drops a disabled route', async t => {
  const s = await setup(10)
  s.healthy(5)
  s.guard.setRoutes({ 'users.get': { ...cfg, maxP95Ratio: 9 } })
  t.equal(s.guard.view('users.get')?.samples.lambda, 5, 'kept')
  s.guard.setRoutes({ 'users.get': { ...cfg, window: 50 } })
  t.equal(s.guard.view('users.get')?.samples.lambda, 0, 'new window size: new window')
  s.guard.setRoutes({ 'users.get': { ...cfg, enabled: false } })
  t.equal(s.guard.view('users.get'), undefined)
  s.guard.recordOutcome('users.get', 'lambda', 500, 1)
  t.equal(await s.guard.check('users.get'), undefined, 'a disabled route is not judged')
})

t.test('recordShadow: mismatches count, errors do not', async t => {
  const s = await setup(100)
  for (let i = 0; i < 30; i++) s.guard.recordShadow('users.get', 'error')
  t.equal(s.guard.view('users.get')?.samples.comparisons, 0)
  for (let i = 0; i < 20; i++) s.guard.recordShadow('users.get', i % 2 === 0 ? { match: false } : { result: 'match' })
  t.match(await s.guard.check('users.get'), { breach: { metric: 'mismatchRate', lambda: 0.5 } })
  t.match(s.svc.get('users.get'), { target: 'legacy' })
})
