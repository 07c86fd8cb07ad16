// The state in effect is config + runtime overrides, with the source of every value; a patch
// sets or (with null) clears an override.
import t from 'tap'
import { applyPatch, compactOverrides, emptyState, mergeRouteState } from '../../gateway/src/ops/route-state.js'
import type { RouteConfigState } from '../../gateway/src/ops/route-state.js'

const config: RouteConfigState = { target: 'lambda', rolloutPercent: 100, shadow: { enabled: false } }

t.test('no overrides: everything from config', async t => {
  t.same(mergeRouteState(config, undefined), {
    target: 'lambda',
    rolloutPercent: 100,
    shadow: { enabled: false },
    sources: { target: 'config', rolloutPercent: 'config', 'shadow.enabled': 'config' }
  })
})

t.test('overrides win and are marked runtime, field by field', async t => {
  const eff = mergeRouteState(config, { rolloutPercent: 10, shadow: { enabled: true } })
  t.same(eff, {
    target: 'lambda',
    rolloutPercent: 10,
    shadow: { enabled: true },
    sources: { target: 'config', rolloutPercent: 'runtime', 'shadow.enabled': 'runtime' }
  })
  t.equal(mergeRouteState(config, { target: 'legacy' }).sources.target, 'runtime')
  t.equal(mergeRouteState(config, { rolloutPercent: 0 }).rolloutPercent, 0, '0 is a value, not "unset"')
})

t.test('applyPatch sets, keeps and clears overrides', async t => {
  const a = applyPatch(undefined, { target: 'legacy' })
  t.same(a, { target: 'legacy' })
  const b = applyPatch(a, { rolloutPercent: 25, shadow: { enabled: true } })
  t.same(b, { target: 'legacy', rolloutPercent: 25, shadow: { enabled: true } })
  const c = applyPatch(b, { target: null, shadow: { enabled: null } })
  t.same(c, { rolloutPercent: 25 })
  t.equal(applyPatch(c, { rolloutPercent: null }), undefined, 'no override left')
  t.same(applyPatch(b, { shadow: {} }), b, 'an empty shadow patch changes nothing')
  t.same(b, { target: 'legacy', rolloutPercent: 25, shadow: { enabled: true } }, 'input not mutated')
})

t.test('compactOverrides drops empties; emptyState is version 1', async t => {
  t.equal(compactOverrides({ shadow: {} }), undefined)
  t.same(compactOverrides({ shadow: { enabled: false } }), { shadow: { enabled: false } })
  t.same(emptyState(5), { version: 1, firstStartedAt: 5, routes: {}, lastHit: { routes: {}, functions: {} } })
})
