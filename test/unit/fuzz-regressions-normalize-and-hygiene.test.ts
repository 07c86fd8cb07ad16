// Counterexamples the property fuzzers found (test/fuzz/), kept as regressions:
// - normalize-path: decoding an unreserved escape right after `%25` completed a double encoding
//   (`/%25a%41` → `/%25aA`, `/%25%34%31` → `/%2541`): not a fixed point, and a backend decoding
//   twice would read another byte. Now refused like a raw `%25XX`.
// - header hygiene: a header named `__proto__` in a plain-object input was lost to the
//   prototype by accident; it is dropped on purpose (Node's parser drops it too).
import t from 'tap'
import { normalizePath } from '../../gateway/src/routing/normalize-path.js'
import { forwardRequestHeaders } from '../../gateway/src/http/header-hygiene.js'

t.test('an escape decoded after %25 cannot complete a double encoding', async t => {
  for (const p of ['/%25a%41', '/%25%34%31', '/a/%25%46%46/b', '/%25%61%62']) {
    t.same(normalizePath(p), { ok: false, reason: 'double percent-encoding (%25XX)' }, p)
  }
  t.same(normalizePath('/%25%2Fx'), { ok: false, reason: 'encoded slash (%2F)' }, 'other rules still first')
  t.same(normalizePath('/100%25'), { ok: true, path: '/100%25', query: '' }, 'a lone %25 is data')
  t.same(normalizePath('/%25zz%41'), { ok: true, path: '/%25zzA', query: '' }, '%25 + non-hex is data')
})

t.test('a __proto__ header is dropped, and nothing leaks onto the prototype', async t => {
  const incoming = JSON.parse('{"__proto__": "x", "accept": "a"}') as Record<string, string>
  const out = forwardRequestHeaders(incoming, { peer: '10.0.0.1', peerTrusted: false, encrypted: false, requestId: 'r', internalHeaders: new Set() })
  t.notOk(Object.hasOwn(out, '__proto__'))
  t.equal(Object.getPrototypeOf(out), Object.prototype)
  t.equal(out.accept, 'a')
})
