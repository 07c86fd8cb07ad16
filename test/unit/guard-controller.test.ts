import t from 'tap'
import { Registry } from 'prom-client'
import { GuardController } from '../../gateway/src/guard/guard-controller.js'
import type { GuardRouteConfig, RouteStatePort } from '../../gateway/src/guard/guard-ports.js'

const base: GuardRouteConfig = { enabled: true, window: 50, minSamples: 20, maxErrorRateDelta: 0.05, maxP95Ratio: 3, maxMismatchRate: 0.2, rollbackTo: 'legacy' }

function setup (cfg: GuardRouteConfig, percent: number) {
  const state = { target: 'lambda' as 'legacy' | 'lambda', rolloutPercent: percent }
  const audit: Array<{ patch: unknown, who: string, reason: string | null }> = []
  const warns: object[] = []
  let clock = 0
  const port: RouteStatePort = {
    get: () => ({ ...state }),
    patch: async (_id, p, meta) => { Object.assign(state, p); audit.push({ patch: p, ...meta }) }
  }
  const registry = new Registry()
  const g = new GuardController({ routes: { users: cfg }, state: port, log: { warn: o => warns.push(o), info: () => {} }, now: () => clock, registry })
  return { g, state, audit, warns, registry, advance: (ms: number) => { clock += ms } }
}

t.test('a failing Lambda at 50% is rolled back to legacy within the window, audited by guard', async t => {
  const s = setup(base, 50)
  let n = 0
  for (; n < 50; n++) {
    s.g.recordOutcome('users', 'legacy', 200, 10)
    s.g.recordOutcome('users', 'lambda', n % 3 === 0 ? 502 : 200, 10)
    const v = await s.g.check('users')
    if (v !== undefined && 'breach' in v) break
  }
  t.ok(n < 50, `rolled back after ${n + 1} outcomes`)
  t.equal(s.state.target, 'legacy')
  t.equal(s.audit.length, 1)
  t.equal(s.audit[0]?.who, 'guard')
  t.match(s.audit[0]?.reason, /errorRateDelta lambda=0\.\d+ legacy=0 threshold=0\.05 at 50%/)
  t.equal(s.warns.length, 1)
  t.match(await s.registry.metrics(), /gateway_guard_rollbacks_total\{route="users"\} 1/)
})

t.test('step plan advances while healthy and stops on a breach (last-good)', async t => {
  const s = setup({ ...base, rollbackTo: 'last-good', steps: [5, 25, 50, 100], stepIntervalMs: 60_000 }, 5)
  const healthy = async () => {
    for (let i = 0; i < 20; i++) { s.g.recordOutcome('users', 'legacy', 200, 10); s.g.recordOutcome('users', 'lambda', 200, 12) }
    await s.g.check('users')
  }
  await healthy()
  t.equal(s.state.rolloutPercent, 5, 'not before the interval')
  s.advance(60_000); await healthy()
  t.equal(s.state.rolloutPercent, 25)
  s.advance(60_000); await healthy()
  t.equal(s.state.rolloutPercent, 50)
  for (let i = 0; i < 20; i++) { s.g.recordOutcome('users', 'legacy', 200, 10); s.g.recordOutcome('users', 'lambda', 500, 12) }
  s.advance(60_000)
  const v = await s.g.check('users')
  t.match(v, { breach: { metric: 'errorRateDelta' } })
  t.equal(s.state.rolloutPercent, 25, 'back to the last good percentage')
  t.equal(s.state.target, 'lambda')
  s.advance(600_000); await healthy()
  t.equal(s.state.rolloutPercent, 25, 'the plan stays stopped after a breach')
  t.same(s.audit.map(a => a.who), ['guard', 'guard', 'guard'])
})

t.test('guard does nothing on a legacy route', async t => {
  const s = setup(base, 50)
  s.state.target = 'legacy'
  for (let i = 0; i < 30; i++) s.g.recordOutcome('users', 'lambda', 500, 1)
  t.equal(await s.g.check('users'), undefined)
  t.equal(s.audit.length, 0)
})

t.test('a failed rollback (state unreachable) changes nothing, is retried, and is logged at most every 10 s', async t => {
  let clock = 0
  let down = true
  const state = { target: 'lambda' as 'legacy' | 'lambda', rolloutPercent: 50 }
  const warns: Array<{ msg: string, obj: object }> = []
  const g = new GuardController({
    routes: { users: base },
    state: {
      get: () => ({ ...state }),
      patch: async (_id, p) => { if (down) throw new Error('GW_ERR_STATE_WRITE: redis down'); Object.assign(state, p) }
    },
    log: { warn: (obj, msg) => warns.push({ obj, msg }), info: () => {} },
    now: () => clock,
    registry: new Registry()
  })
  for (let i = 0; i < 30; i++) g.recordOutcome('users', 'lambda', 500, 5)
  await g.tick(); clock += 1000; await g.tick(); clock += 1000; await g.tick()
  t.equal(state.target, 'lambda', 'nothing changed')
  t.same(warns.map(w => w.msg), ['guard could not change the route state'], 'one warn for three failed attempts within 10 s')
  t.match(warns[0]?.obj, { routeId: 'users', err: /redis down/ })
  down = false
  clock += 1000; await g.tick()
  t.equal(state.target, 'legacy', 'the next attempt after recovery rolls back')
  t.match(warns[1], { msg: 'guard rolled back a rollout' })
  t.match(await (g.rollbacks as unknown as { get: () => Promise<{ values: Array<{ value: number }> }> }).get(), { values: [{ value: 1 }] }, 'counted once')
  g.close()
})
