import t from 'tap'
import { RouteWindow } from '../../gateway/src/guard/window-stats.js'
import { evaluateGuard } from '../../gateway/src/guard/evaluate-guard.js'

const th = { minSamples: 10, maxErrorRateDelta: 0.05, maxP95Ratio: 2, maxMismatchRate: 0.2 }

t.test('below the minimum sample the guard holds', async t => {
  const w = new RouteWindow(50)
  for (let i = 0; i < 9; i++) w.record('lambda', { status: 500, latencyMs: 1 })
  t.same(evaluateGuard(w.stats(), th), { ok: true, reason: 'insufficient-samples' })
})

t.test('5xx rate difference trips with figures', async t => {
  const w = new RouteWindow(20)
  for (let i = 0; i < 20; i++) { w.record('legacy', { status: 200, latencyMs: 10 }); w.record('lambda', { status: i < 4 ? 502 : 200, latencyMs: 10 }) }
  t.same(evaluateGuard(w.stats(), th), { breach: { metric: 'errorRateDelta', lambda: 0.2, legacy: 0, threshold: 0.05 } })
})

t.test('p95 ratio trips; healthy holds', async t => {
  const w = new RouteWindow(20)
  for (let i = 0; i < 20; i++) { w.record('legacy', { status: 200, latencyMs: 10 }); w.record('lambda', { status: 200, latencyMs: 15 }) }
  t.same(evaluateGuard(w.stats(), th), { ok: true })
  for (let i = 0; i < 20; i++) w.record('lambda', { status: 200, latencyMs: 50 })
  const v = evaluateGuard(w.stats(), th)
  t.same(v, { breach: { metric: 'p95Ratio', lambda: 50, legacy: 10, threshold: 2 } })
})

t.test('mismatch rate trips; ring is bounded', async t => {
  const w = new RouteWindow(10)
  for (let i = 0; i < 100; i++) w.recordComparison(i % 2 === 0)
  const s = w.stats()
  t.equal(s.mismatch.samples, 10)
  t.match(evaluateGuard(s, th), { breach: { metric: 'mismatchRate', lambda: 0.5 } })
})
