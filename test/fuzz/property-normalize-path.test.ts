// Property fuzzing of path normalisation (routing/normalize-path.ts) with fast-check. Inputs are
// built from the pieces path-confusion attacks are made of (dot segments raw and encoded, encoded
// slashes and backslashes, double encoding, overlong UTF-8, controls, `;`, `#`, `?`) mixed with
// arbitrary Unicode. Properties: it never throws; the fast path agrees with the general
// algorithm; a normal form is a fixed point (idempotence); it holds no dot-segment, empty
// segment, backslash, control character, encoded slash/backslash or encoded unreserved
// character, even after the one decode a backend applies; and a backend's URL parser resolves
// legacy.url's base path + the normal form to exactly that, so it never escapes the base path.
import t from 'tap'
import fc from 'fast-check'
import { normalizePath, normalizePathGeneral } from '../../gateway/src/routing/normalize-path.js'
import { checkProperty } from '../helpers/property-budget.js'

const PROPERTIES = 5
const PIECES = [
  'a', 'Z', '9', '-', '_', '~', '.', '..', '...', '/', '//', '%2e', '%2E', '.%2e', '%2e%2e', '%41', '%7e', '%7E',
  '%2F', '%2f', '%5C', '%5c', '\\', '%25', '%252e', '%252F', '%2', '%zz', '%c3%a9', '%C3%A9', '%c0%ae', '%e0%80%ae',
  '%ed%a0%80', '%f4%90%80%80', 'é', '\u{1F600}', '\uD800', ' ', '%20', ';', ';jsessionid=1', '#', '#frag', '?', '?x=/../',
  ':', '@', '!', '$', '&', "'", '(', '*', '+', ',', '=', '\u0000', '\u0001', '\u007f', '%00', '%7f', '%0d%0a', '\r\n', '\t'
]

const piece = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PIECES) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme-composite', maxLength: 4 }) })
/** Mostly origin-form (`/…`), sometimes anything at all. */
const rawPath = fc.oneof(
  { weight: 9, arbitrary: fc.array(piece, { maxLength: 12 }).map(parts => '/' + parts.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) }
)
const UNRESERVED_ESCAPE = /%(?:[46][1-9A-F]|[57][0-9A]|3[0-9]|2D|2E|5F|7E)/i
const ALLOWED = /^[A-Za-z0-9\-._~!$&'()*+,=:@/%]*$/

function noDotOrEmptySegments (path: string): boolean {
  const segments = path.slice(1).split('/')
  // A trailing slash leaves one empty last segment; none anywhere else.
  return segments.every((s, i) => s !== '.' && s !== '..' && (s !== '' || i === segments.length - 1))
}

t.test('normalizePath never throws, and its fast path agrees with the general algorithm', async t => {
  checkProperty(t, 'fast path agrees', fc.property(rawPath, p =>
    JSON.stringify(normalizePath(p)) === JSON.stringify(normalizePathGeneral(p))), PROPERTIES)
})

t.test('a normal form is a fixed point (idempotence), and the query is split off untouched', async t => {
  checkProperty(t, 'idempotence', fc.property(rawPath, p => {
    const once = normalizePath(p)
    if (!once.ok) return true
    const twice = normalizePath(once.path)
    const q = p.indexOf('?')
    return twice.ok && twice.path === once.path && twice.query === '' && once.query === (q === -1 ? '' : p.slice(q + 1))
  }), PROPERTIES)
})

t.test('a normal form holds no dot-segment, empty segment, backslash, control or encoded slash', async t => {
  checkProperty(t, 'no confusable pieces', fc.property(rawPath, p => {
    const r = normalizePath(p)
    if (!r.ok) return typeof r.reason === 'string' && r.reason.length > 0
    return r.path.startsWith('/') && ALLOWED.test(r.path) && noDotOrEmptySegments(r.path) &&
      !/%2F|%5C|%25[0-9A-F]{2}/i.test(r.path) && !UNRESERVED_ESCAPE.test(r.path) && !/%(?![0-9A-F]{2})/.test(r.path)
  }), PROPERTIES)
})

t.test('after the one decode a backend applies, the segments are the same', async t => {
  checkProperty(t, 'decoded once', fc.property(rawPath, p => {
    const r = normalizePath(p)
    if (!r.ok) return true
    const decoded = decodeURIComponent(r.path)
    return decoded.split('/').length === r.path.split('/').length && !decoded.includes('\\') &&
      noDotOrEmptySegments(decoded) && ![...decoded].some(c => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)
  }), PROPERTIES)
})

t.test('a backend URL parser resolves base path + normal form to exactly that (never escapes the base)', async t => {
  const base = fc.constantFrom('', '/legacy', '/app/v1')
  checkProperty(t, 'never escapes the base path', fc.property(base, rawPath, (basePath, p) => {
    const r = normalizePath(p)
    if (!r.ok) return true
    const parsed = new URL(`http://legacy.test${basePath}${r.path}`)
    return parsed.pathname === basePath + r.path && parsed.search === '' && parsed.hash === ''
  }), PROPERTIES)
})
