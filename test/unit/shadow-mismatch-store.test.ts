import t from 'tap'
import { MismatchStore } from '../../gateway/src/shadow/mismatch-store.js'

const rec = (i: number, body = '{}') => ({ at: 't', method: 'GET', url: '/x', primary: 'legacy' as const, legacy: { status: 200, body }, lambda: { status: 200, body }, diffs: [{ path: `$.n${i}`, legacy: 1, lambda: 2 }] })

t.test('bounded per route, newest first', async t => {
  const s = new MismatchStore({ perRoute: 3 })
  for (let i = 0; i < 10; i++) s.add('r', rec(i))
  t.same(s.list('r').map(r => r.diffs[0]?.path), ['$.n9', '$.n8', '$.n7'])
  t.same(s.list('other'), [])
})

t.test('secrets redacted and bodies truncated', async t => {
  const s = new MismatchStore({ maxBodyChars: 40 })
  s.add('r', { ...rec(0, JSON.stringify({ accessToken: 'abc', user: { password: 'p', name: 'n' } })), diffs: [{ path: '$.accessToken', legacy: 'a', lambda: 'b' }, { path: 'headers.set-cookie', legacy: 'x', lambda: 'y' }] })
  const r = s.list('r')[0]
  t.notMatch(r?.legacy.body, /abc/)
  t.match(r?.legacy.body, /redacted/)
  t.same(r?.diffs, [{ path: '$.accessToken', legacy: '[redacted]', lambda: '[redacted]' }, { path: 'headers.set-cookie', legacy: '[redacted]', lambda: '[redacted]' }])
  s.add('r', rec(1, 'x'.repeat(100)))
  t.match(s.list('r')[0]?.legacy.body, /truncated/)
  t.ok((s.list('r')[0]?.legacy.body.length ?? 0) < 60)
})

t.test('route count bounded', async t => {
  const s = new MismatchStore({ maxRoutes: 2 })
  s.add('a', rec(0)); s.add('b', rec(0)); s.add('c', rec(0))
  t.same(s.list('a'), [])
  t.equal(s.list('c').length, 1)
})
