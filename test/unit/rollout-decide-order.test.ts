// The per-request decision: no lambda block → legacy; a tester override next; then the state's
// target; a partial rollout splits by the sticky key (or at random without one).
import t from 'tap'
import { decideTarget } from '../../gateway/src/routing/rollout-decide.js'
import { parseStickyBy } from '../../gateway/src/routing/rollout-key.js'

const route = { id: 'users.get', hasLambda: true, sticky: parseStickyBy('header:x-user-id') }
const req = (user?: string): { headers: Record<string, string>, ip: string } => ({ headers: user === undefined ? {} : { 'x-user-id': user }, ip: '10.0.0.1' })
const never = (): number => { throw new Error('random must not be used') }

t.test('precedence', async t => {
  t.same(decideTarget({ ...route, hasLambda: false }, { target: 'lambda', rolloutPercent: 100 }, req('u'), { override: 'lambda', random: never }),
    { target: 'legacy', via: 'no-lambda' })
  t.same(decideTarget(route, { target: 'legacy', rolloutPercent: 0 }, req('u'), { override: 'lambda', random: never }), { target: 'lambda', via: 'override' })
  t.same(decideTarget(route, { target: 'lambda', rolloutPercent: 100 }, req('u'), { override: 'legacy', random: never }), { target: 'legacy', via: 'override' })
  t.same(decideTarget(route, { target: 'legacy', rolloutPercent: 50 }, req('u'), { random: never }), { target: 'legacy', via: 'state' })
  t.same(decideTarget(route, { target: 'lambda', rolloutPercent: 100 }, req('u'), { random: never }), { target: 'lambda', via: 'state' })
})

t.test('partial rollout: sticky per user, about the configured share', async t => {
  let lambda = 0
  for (let i = 0; i < 2000; i++) {
    const a = decideTarget(route, { target: 'lambda', rolloutPercent: 25 }, req(`user-${i}`), { random: never })
    const b = decideTarget(route, { target: 'lambda', rolloutPercent: 25 }, req(`user-${i}`), { random: never })
    if (a.target !== b.target) t.fail(`user-${i} not sticky`)
    if (a.target === 'lambda') lambda++
    if (a.via !== 'rollout') t.fail('via rollout')
  }
  t.ok(Math.abs(lambda / 2000 - 0.25) < 0.04, `25% -> ${lambda / 2000}`)
})

t.test('no key in the request, or no stickyBy: random per request', async t => {
  t.equal(decideTarget(route, { target: 'lambda', rolloutPercent: 25 }, req(), { random: () => 0.1 }).target, 'lambda')
  t.equal(decideTarget(route, { target: 'lambda', rolloutPercent: 25 }, req(), { random: () => 0.9 }).target, 'legacy')
  t.equal(decideTarget({ ...route, sticky: undefined }, { target: 'lambda', rolloutPercent: 25 }, req('u'), { random: () => 0.9 }).target, 'legacy')
})
