// A small JSONPath subset used by compare.ignore and compare.arraysAsSets.
// Supported: `$` (root), `.key`, `..key` (any depth), `[*]` (any array item), `[n]` (item n).
// Paths are matched against the concrete path of a value, e.g. `$.Users[3].etag`.
export type Segment = { kind: 'key', key: string } | { kind: 'deep', key: string } | { kind: 'any' } | { kind: 'index', index: number }

/** Parses a path of the subset; throws on anything else so config mistakes are loud. */
export function parseJsonPath (path: string): Segment[] {
  if (!path.startsWith('$')) throw new Error(`JSON path must start with $: ${path}`)
  const out: Segment[] = []
  const re = /\.\.([^.[\]]+)|\.([^.[\]]+)|\[\*\]|\[(\d+)\]/y
  re.lastIndex = 1
  while (re.lastIndex < path.length) {
    const m = re.exec(path)
    if (m === null) throw new Error(`unsupported JSON path syntax: ${path}`)
    if (m[1] !== undefined) out.push({ kind: 'deep', key: m[1] })
    else if (m[2] !== undefined) out.push({ kind: 'key', key: m[2] })
    else if (m[3] !== undefined) out.push({ kind: 'index', index: Number(m[3]) })
    else out.push({ kind: 'any' })
  }
  return out
}

/** Concrete path elements: string = object key, number = array index. */
export type ConcretePath = ReadonlyArray<string | number>

/** True when the concrete path matches the pattern exactly (keys compared case-insensitively if asked). */
export function matchesPath (pattern: Segment[], path: ConcretePath, ci = false): boolean {
  const eq = (a: string, b: string): boolean => ci ? a.toLowerCase() === b.toLowerCase() : a === b
  const go = (pi: number, xi: number): boolean => {
    if (pi === pattern.length) return xi === path.length
    const seg = pattern[pi] as Segment
    const el = path[xi]
    switch (seg.kind) {
      case 'key': return typeof el === 'string' && eq(el, seg.key) && go(pi + 1, xi + 1)
      case 'any': return typeof el === 'number' && go(pi + 1, xi + 1)
      case 'index': return el === seg.index && go(pi + 1, xi + 1)
      case 'deep':
        for (let k = xi; k < path.length; k++) {
          const e = path[k]
          if (typeof e === 'string' && eq(e, seg.key) && go(pi + 1, k + 1)) return true
        }
        return false
    }
    return false
  }
  return go(0, 0)
}

/** Renders a concrete path in the same syntax, for diffs. */
export function formatPath (path: ConcretePath): string {
  return '$' + path.map(p => typeof p === 'number' ? `[${p}]` : `.${p}`).join('')
}
