// Route path patterns: `/api/users/:id`, `/api/reports/*`. Segments are static (letters, digits,
// - . _ ~, matched against the normalised path), `:name` params (one whole segment), or a final
// `*` (zero or more remaining segments, captured as params['*']).

export type PatternSegment =
  | { readonly kind: 'static', readonly value: string }
  | { readonly kind: 'param', readonly name: string }
  | { readonly kind: 'wildcard' }

export type ParsedPattern =
  | { ok: true, segments: readonly PatternSegment[] }
  | { ok: false, reason: string }

const STATIC = /^[A-Za-z0-9\-._~]+$/
const PARAM = /^:([A-Za-z_][A-Za-z0-9_]*)$/

/** Parse a path pattern; `reason` completes "expected a path pattern with ...". */
export function parsePathPattern (pattern: string): ParsedPattern {
  if (!pattern.startsWith('/')) return { ok: false, reason: 'a leading /' }
  if (pattern === '/') return { ok: true, segments: [] }
  const parts = pattern.slice(1).split('/')
  const segments: PatternSegment[] = []
  const names = new Set<string>()
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!
    if (part === '') return { ok: false, reason: 'no empty segments and no trailing /' }
    if (part === '*') {
      if (i !== parts.length - 1) return { ok: false, reason: '* only as the last segment' }
      segments.push({ kind: 'wildcard' })
      continue
    }
    if (part.startsWith(':')) {
      const name = PARAM.exec(part)?.[1]
      if (name === undefined || name === '__proto__') return { ok: false, reason: ':name params named with letters, digits and _' }
      if (names.has(name)) return { ok: false, reason: `unique param names (:${name} is used twice)` }
      names.add(name)
      segments.push({ kind: 'param', name })
      continue
    }
    if (part === '.' || part === '..') return { ok: false, reason: 'no . or .. segments' }
    if (!STATIC.test(part)) return { ok: false, reason: 'static segments of letters, digits and - . _ ~ only (params are whole :name segments, * only as the last segment)' }
    segments.push({ kind: 'static', value: part })
  }
  return { ok: true, segments }
}
