// Path normalisation: the gateway matches routes on, and forwards, ONE canonical form of the
// path, so the gateway and the backend (ASP.NET on IIS, or a Lambda) can never disagree about
// which resource a request names. What cannot be normalised safely is refused (400), never
// forwarded as is. The full policy and the tested cases: docs/config.md ("Path normalisation")
// and test/unit/path-confusion.test.ts.
import { isValidContinuation, utf8SequenceLength } from './utf8-sequence.js'

/** Longest accepted path (the part before `?`), in characters. Longer → rejected. */
export const MAX_PATH_LENGTH = 8192

export type NormalizedPath =
  | { ok: true, path: string, query: string }
  | { ok: false, reason: string }

const HEX = '0123456789ABCDEF'
// Lookup tables over ASCII (no regex per character on the hot path).
// RFC 3986 unreserved: decoded when percent-encoded (`%7E` → `~`, `%31` → `1`).
const UNRESERVED = asciiSet('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~')
// Allowed raw in a path segment: pchar minus `%` and `;` (handled apart).
const PCHAR = asciiSet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,=:@")

function asciiSet (chars: string): Uint8Array {
  const set = new Uint8Array(128)
  for (let i = 0; i < chars.length; i++) set[chars.charCodeAt(i)] = 1
  return set
}

function hexValue (c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  if (c >= 0x41 && c <= 0x46) return c - 0x37
  if (c >= 0x61 && c <= 0x66) return c - 0x57
  return -1
}

function readByte (s: string, i: number): number {
  if (s.charCodeAt(i) !== 0x25 || i + 2 >= s.length) return -1
  const hi = hexValue(s.charCodeAt(i + 1))
  const lo = hexValue(s.charCodeAt(i + 2))
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo
}

function pct (b: number): string {
  return '%' + HEX[b >> 4]! + HEX[b & 15]!
}

function reject (reason: string): NormalizedPath {
  return { ok: false, reason }
}

interface Segment { text: string, encodedDot: boolean }

const DOUBLE_ENCODED = /%25[0-9A-Fa-f]{2}/

/**
 * Normalise a raw request-target path (`req.url`; a `?query` is split off and returned untouched).
 * - percent-encoding of unreserved characters is decoded (`%31` → `1`, `%7e` → `~`); other
 *   escapes are kept with upper-case hex (`%c3%a9` → `%C3%A9`);
 * - `.`/`..` segments are resolved; duplicate slashes folded; a trailing slash is kept;
 * - rejected: encoded `/` or `\` (`%2F`, `%5C`), encoded dot-segments (`%2e%2e`, `.%2e`), raw
 *   backslashes, control characters raw or encoded (`%00`), invalid or double percent-encoding
 *   (`%zz`, `%2`, `%252e`), non-shortest-form UTF-8 (`%c0%ae`), `..` above the root, `;` path
 *   parameters, a fragment, anything not starting with `/`, paths over MAX_PATH_LENGTH.
 * Raw non-ASCII and other characters not allowed in a URI path are percent-encoded as UTF-8.
 */
export function normalizePath (rawUrlPath: string, opts: { maxLength?: number } = {}): NormalizedPath {
  return normalize(rawUrlPath, opts.maxLength ?? MAX_PATH_LENGTH, true)
}

/**
 * The general algorithm alone, without normalizePath's fast path for already-normal paths
 * (exported so a test can prove both agree).
 */
export function normalizePathGeneral (rawUrlPath: string, opts: { maxLength?: number } = {}): NormalizedPath {
  return normalize(rawUrlPath, opts.maxLength ?? MAX_PATH_LENGTH, false)
}

function normalize (rawUrlPath: string, maxLength: number, fastPath: boolean): NormalizedPath {
  const q = rawUrlPath.indexOf('?')
  const raw = q === -1 ? rawUrlPath : rawUrlPath.slice(0, q)
  const query = q === -1 ? '' : rawUrlPath.slice(q + 1)
  if (raw.length > maxLength) return reject(`path longer than ${maxLength} characters`)
  if (raw.charCodeAt(0) !== 0x2f) return reject('not an origin-form path (must start with /)')
  if (fastPath && isAlreadyNormal(raw)) return { ok: true, path: raw, query }
  return normalizeSegments(raw, query)
}

function normalizeSegments (raw: string, query: string): NormalizedPath {
  const segments: Segment[] = []
  let cur = ''
  let encodedDot = false
  for (let i = 1; i < raw.length; i++) {
    const c = raw.charCodeAt(i)
    if (c === 0x2f) { // '/'
      segments.push({ text: cur, encodedDot })
      cur = ''
      encodedDot = false
      continue
    }
    if (c === 0x25) { // '%'
      const b = readByte(raw, i)
      if (b < 0) return reject('invalid percent-encoding')
      i += 2
      if (b < 0x80) {
        if (b === 0x2f) return reject('encoded slash (%2F)')
        if (b === 0x5c) return reject('encoded backslash (%5C)')
        if (b < 0x20 || b === 0x7f) return reject('encoded control character')
        // `%25` + two hex digits decodes to another escape (`%252e` → `%2e`): a backend that decodes
        // twice (IIS without allowDoubleEscaping=false) would see a different path than we did.
        if (b === 0x25 && hexValue(raw.charCodeAt(i + 1)) >= 0 && hexValue(raw.charCodeAt(i + 2)) >= 0) return reject('double percent-encoding (%25XX)')
        if (UNRESERVED[b] === 1) {
          cur += String.fromCharCode(b)
          if (b === 0x2e) encodedDot = true
        } else {
          cur += pct(b)
        }
        continue
      }
      const len = utf8SequenceLength(b)
      if (len === 0) return reject('invalid UTF-8 in percent-encoding')
      cur += pct(b)
      for (let k = 1; k < len; k++) {
        const next = readByte(raw, i + 1)
        if (next < 0 || !isValidContinuation(b, k, next)) return reject('invalid UTF-8 in percent-encoding')
        cur += pct(next)
        i += 3
      }
      continue
    }
    if (c === 0x5c) return reject('backslash in path')
    if (c < 0x20 || c === 0x7f) return reject('control character in path')
    if (c === 0x3b) return reject('path parameter (;) in path')
    if (c === 0x23) return reject('fragment (#) in request target')
    const ch = raw[i]!
    if (PCHAR[c] === 1) {
      cur += ch
      continue
    }
    // Not allowed raw in a URI: encode as UTF-8 (a lone surrogate cannot be encoded).
    let chunk = ch
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < raw.length) chunk = raw.slice(i, i + 2)
    try {
      cur += encodeURIComponent(chunk).replace(/%[0-9a-f]{2}/g, m => m.toUpperCase())
    } catch {
      return reject('invalid UTF-16 (lone surrogate) in path')
    }
    i += chunk.length - 1
  }
  segments.push({ text: cur, encodedDot })
  return resolveDotSegments(segments, query)
}

/**
 * The common case, decided in one pass without building anything: only raw pchars and `/`, no
 * empty segment but a trailing one, no `.`/`..` segment. The slow path would return it as is.
 */
function isAlreadyNormal (raw: string): boolean {
  let segStart = 1
  for (let i = 1; i <= raw.length; i++) {
    const c = i < raw.length ? raw.charCodeAt(i) : 0x2f
    if (c === 0x2f) {
      const len = i - segStart
      if (len === 0 && i < raw.length) return false // '//'
      if (len > 0 && len <= 2 && raw.charCodeAt(segStart) === 0x2e && (len === 1 || raw.charCodeAt(segStart + 1) === 0x2e)) return false
      segStart = i + 1
    } else if (c >= 0x80 || PCHAR[c] !== 1) {
      return false
    }
  }
  return true
}

function resolveDotSegments (segments: readonly Segment[], query: string): NormalizedPath {
  const out: string[] = []
  let trailingSlash = false
  for (const seg of segments) {
    trailingSlash = false
    if (seg.text === '') { trailingSlash = true; continue } // '//' folds; a final '' is a trailing slash
    if (seg.text === '.' || seg.text === '..') {
      if (seg.encodedDot) return reject('encoded dot-segment')
      trailingSlash = true
      if (seg.text === '..') {
        if (out.length === 0) return reject('dot-segment above the root')
        out.pop()
      }
      continue
    }
    out.push(seg.text)
  }
  const path = '/' + out.join('/') + (trailingSlash && out.length > 0 ? '/' : '')
  // Decoding unreserved escapes can complete a `%25` into `%25XX` (`%25a%41` → `%25aA`,
  // `%25%34%31` → `%2541`): the same double encoding the raw check refuses, so refuse it here too
  // (found by test/fuzz/property-normalize-path.test.ts; the normal form must be a fixed point).
  if (path.includes('%25') && DOUBLE_ENCODED.test(path)) return reject('double percent-encoding (%25XX)')
  return { ok: true, path, query }
}
