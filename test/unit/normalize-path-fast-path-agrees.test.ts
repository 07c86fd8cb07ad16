// normalizePath answers already-normal paths without rebuilding them (a hot-path shortcut);
// the shortcut must never change an answer: it agrees with the general algorithm on every path,
// including dot segments, duplicate slashes, escapes and characters the fast path refuses.
import t from 'tap'
import { normalizePath, normalizePathGeneral } from '../../gateway/src/routing/normalize-path.js'

const PIECES = ['a', 'Z', '9', '-', '_', '~', '.', '..', '/', '//', '%2e', '%2E', '%41', '%2F', '%25', '%c3%a9', 'é', ' ', ';', '\\', '?', '?x=1/..', '#', ':', '@', '!', '$', '&', "'", '(', '*', '+', ',', '=', '\u0001']

t.test('the fast path agrees with the general algorithm on hand-picked paths', async (t) => {
  const cases = ['/', '/a', '/a/', '/a/b/c', '/api/budgets/1', '/a//b', '//', '/./a', '/a/.', '/a/..', '/a/../b', '/..', '/.a/b.', '/a/..b', '/a/...', '/a/b/./', '/%2e/a', '/a%20b', '/a?b=/../c', '/a;b', '/a\\b', 'a/b', '']
  for (const p of cases) t.same(normalizePath(p), normalizePathGeneral(p), JSON.stringify(p))
})

t.test('the fast path agrees with the general algorithm on random paths', async (t) => {
  let seed = 42
  const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n }
  let fastAnswers = 0
  for (let k = 0; k < 20000; k++) {
    let p = '/'
    const n = 1 + rnd(8)
    for (let i = 0; i < n; i++) p += PIECES[rnd(PIECES.length)]
    const fast = normalizePath(p)
    const general = normalizePathGeneral(p)
    if (JSON.stringify(fast) !== JSON.stringify(general)) t.fail(`differs for ${JSON.stringify(p)}: ${JSON.stringify(fast)} vs ${JSON.stringify(general)}`)
    if (fast.ok && fast.path === p) fastAnswers++
  }
  t.ok(fastAnswers > 1000, `many random paths were already normal (${fastAnswers})`)
  t.same(normalizePath('/x', { maxLength: 1 }), normalizePathGeneral('/x', { maxLength: 1 }), 'length limit first')
})
