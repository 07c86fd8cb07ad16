import t from 'tap'
import { compileCompare } from '../../gateway/src/shadow/compare/normalise.js'
import { compareResponses } from '../../gateway/src/shadow/compare/compare-responses.js'
import { parseJsonPath, matchesPath } from '../../gateway/src/shadow/compare/json-path.js'

const ans = (body: unknown, status = 200) => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

t.test('PascalCase legacy equals camelCase lambda with caseInsensitiveKeys', async t => {
  const c = compileCompare({ caseInsensitiveKeys: true })
  const r = compareResponses(ans({ Id: 1, Name: 'Ada', Tags: ['a'] }), ans({ id: 1, name: 'Ada', tags: ['a'] }), c)
  t.same(r, { match: true, diffs: [] })
})

t.test('without caseInsensitiveKeys the shapes differ', async t => {
  const r = compareResponses(ans({ Id: 1 }), ans({ id: 1 }), compileCompare({}))
  t.equal(r.match, false)
  t.equal(r.diffs.length, 2)
})

t.test('a different field is reported with its path and both values', async t => {
  const c = compileCompare({ caseInsensitiveKeys: true })
  const r = compareResponses(ans({ Id: 1, Items: [{ Amount: 5 }] }), ans({ id: 1, items: [{ amount: 6 }], fullName: 'A B' }), c)
  t.same(r.diffs, [
    { path: '$.fullname', legacy: undefined, lambda: 'A B' },
    { path: '$.items[0].amount', legacy: 5, lambda: 6 }
  ])
})

t.test('ignore paths: root key and deep key', async t => {
  const c = compileCompare({ caseInsensitiveKeys: true, ignore: ['$.generatedAt', '$..etag'] })
  const r = compareResponses(ans({ GeneratedAt: 1, Users: [{ Etag: 'x', Id: 1 }] }), ans({ generatedAt: 2, users: [{ etag: 'y', id: 1 }] }), c)
  t.equal(r.match, true)
})

t.test('renames map and arrays as sets', async t => {
  const c = compileCompare({ renames: { UserName: 'login' }, arraysAsSets: ['$.roles'] })
  t.equal(compareResponses(ans({ UserName: 'a', roles: ['x', 'y'] }), ans({ login: 'a', roles: ['y', 'x'] }), c).match, true)
  t.equal(compareResponses(ans({ list: ['x', 'y'] }), ans({ list: ['y', 'x'] }), c).match, false)
})

t.test('status and selected headers compared', async t => {
  const c = compileCompare({ headers: ['Content-Type'] })
  const r = compareResponses({ status: 200, headers: { 'content-type': 'a' }, body: 'x' }, { status: 404, headers: { 'content-type': 'b' }, body: 'x' }, c)
  t.same(r.diffs.map(d => d.path), ['status', 'headers.content-type'])
})

t.test('json path subset', async t => {
  t.ok(matchesPath(parseJsonPath('$.a[*].b'), ['a', 3, 'b']))
  t.ok(matchesPath(parseJsonPath('$.a[2]'), ['a', 2]))
  t.notOk(matchesPath(parseJsonPath('$.a[2]'), ['a', 1]))
  t.ok(matchesPath(parseJsonPath('$..id'), ['x', 0, 'id']))
  t.throws(() => parseJsonPath('a.b'))
  t.throws(() => parseJsonPath('$.a[?(@.x)]'))
})
