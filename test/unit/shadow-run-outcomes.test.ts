// runShadow, the comparison core: the primary's answer against the other side's, with noise
// learned from a second legacy answer; a side failure is an `error`, a protection rejection a
// `shed`; every outcome is counted, mismatches stored, and the guard hears only comparisons.
import t from 'tap'
import { runShadow, ShadowInflight, ShadowStats } from '../../gateway/src/shadow/shadow-run.js'
import type { ShadowJob, ShadowRecorder, SideCall } from '../../gateway/src/shadow/shadow-run.js'
import { MismatchStore } from '../../gateway/src/shadow/mismatch-store.js'
import { NoiseLearner } from '../../gateway/src/shadow/noise.js'
import { SHADOW_DEFAULTS } from '../../gateway/src/shadow/shadow-eligibility.js'
import { rejections } from '../../gateway/src/protection/rejection.js'
import type { CapturedAnswer } from '../../gateway/src/shadow/compare/compare-responses.js'

const answer = (body: unknown, status = 200): CapturedAnswer => ({ status, headers: {}, body: JSON.stringify(body) })

function recorder (): ShadowRecorder & { counted: string[], heard: string[] } {
  const counted: string[] = []
  const heard: string[] = []
  return {
    store: new MismatchStore(),
    noise: new NoiseLearner(),
    stats: new ShadowStats(),
    count: (route, result) => { counted.push(`${route}:${result}`) },
    onComparison: (route, result) => { heard.push(`${route}:${result}`) },
    now: () => Date.parse('2026-01-01T00:00:00Z'),
    counted,
    heard
  }
}

const job = (primary: 'legacy' | 'lambda', primaryAnswer: CapturedAnswer, settings = SHADOW_DEFAULTS): ShadowJob => ({
  routeId: 'users.get',
  settings: { ...settings, compare: { ...settings.compare, caseInsensitiveKeys: true } },
  primary,
  primaryAnswer,
  request: { method: 'GET', path: '/api/users/1', query: '', headers: {}, body: undefined, requestId: 'r1', params: { id: '1' }, routeKey: 'GET /api/users/{id}', sourceIp: '', domainName: '' },
  url: '/api/users/1'
})

const never: SideCall = async () => { throw new Error('must not be called') }

t.test('legacy primary: the Lambda is the shadow; a match and a mismatch', async t => {
  const r = recorder()
  t.equal(await runShadow(job('legacy', answer({ Id: 1, Name: 'A' })), { legacy: never, lambda: async () => answer({ id: 1, name: 'A' }) }, r), 'match')
  t.equal(await runShadow(job('legacy', answer({ Id: 1, Name: 'A' })), { legacy: never, lambda: async () => answer({ id: 1, name: 'B' }) }, r), 'mismatch')
  t.same(r.counted, ['users.get:match', 'users.get:mismatch'])
  t.same(r.heard, ['users.get:match', 'users.get:mismatch'])
  const [m] = r.store.list('users.get')
  t.match(m, { at: '2026-01-01T00:00:00.000Z', primary: 'legacy', diffs: [{ path: '$.name', legacy: 'A', lambda: 'B' }] })
  t.same(r.stats.get('users.get'), { match: 1, mismatch: 1, error: 0, shed: 0 })
})

t.test('lambda primary: legacy is the shadow; with noise, legacy is called twice and the noise learned', async t => {
  const r = recorder()
  let legacyCalls = 0
  const legacy: SideCall = async () => answer({ Id: 1, At: `t${++legacyCalls}` })
  const noisy = { ...SHADOW_DEFAULTS, noise: { enabled: true } }
  t.equal(await runShadow(job('lambda', answer({ id: 1, at: 'lambda' }), noisy), { legacy, lambda: never }, r), 'match')
  t.equal(legacyCalls, 2)
  t.same(r.noise.ignored('users.get'), ['$.At'])
})

t.test('a failing side is an error; a shed is counted but not heard by the guard', async t => {
  const r = recorder()
  t.equal(await runShadow(job('legacy', answer({})), { legacy: never, lambda: async () => { throw new Error('boom') } }, r), 'error')
  t.equal(await runShadow(job('legacy', answer({})), { legacy: never, lambda: async () => { throw rejections.queueTimeout('lambda:x', 250) } }, r), 'shed')
  t.same(r.counted, ['users.get:error', 'users.get:shed'])
  t.same(r.heard, ['users.get:error'], 'the guard hears comparisons only')
})

t.test('ShadowInflight caps a route and frees on leave', async t => {
  const f = new ShadowInflight()
  t.ok(f.tryEnter('a', 2))
  t.ok(f.tryEnter('a', 2))
  t.notOk(f.tryEnter('a', 2), 'third is refused')
  t.ok(f.tryEnter('b', 2), 'per route')
  f.leave('a')
  t.equal(f.inflight('a'), 1)
  t.ok(f.tryEnter('a', 2))
})
