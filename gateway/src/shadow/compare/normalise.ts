// Normalises a JSON value before comparison: renames fields, lower-cases keys when asked,
// drops ignored paths and sorts arrays configured as sets. Pure.
import { matchesPath, parseJsonPath } from './json-path.js'
import type { ConcretePath, Segment } from './json-path.js'

export interface CompareOptions {
  ignore?: string[]
  arraysAsSets?: string[]
  caseInsensitiveKeys?: boolean
  /** Field renames applied to the legacy side: legacy key (any depth) → Lambda key. */
  renames?: Record<string, string>
  headers?: string[]
}

export interface CompiledCompare {
  ignore: Segment[][]
  sets: Segment[][]
  ci: boolean
  renames: Map<string, string>
  headers: string[]
}

export function compileCompare (o: CompareOptions = {}, extraIgnore: string[] = []): CompiledCompare {
  const ci = o.caseInsensitiveKeys ?? false
  const renames = new Map<string, string>()
  for (const [k, v] of Object.entries(o.renames ?? {})) renames.set(ci ? k.toLowerCase() : k, v)
  return {
    ignore: [...(o.ignore ?? []), ...extraIgnore].map(parseJsonPath),
    sets: (o.arraysAsSets ?? []).map(parseJsonPath),
    ci,
    renames,
    headers: (o.headers ?? []).map(h => h.toLowerCase())
  }
}

/** Stable text of a value, used to sort set-like arrays. */
export function canonical (v: unknown): string {
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']'
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v).sort()
    return '{' + keys.map(k => JSON.stringify(k) + ':' + canonical((v as Record<string, unknown>)[k])).join(',') + '}'
  }
  return JSON.stringify(v) ?? 'undefined'
}

export function normalise (value: unknown, c: CompiledCompare, side: 'legacy' | 'lambda', path: ConcretePath = []): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v, i) => normalise(v, c, side, [...path, i]))
    if (c.sets.some(s => matchesPath(s, path, c.ci))) items.sort((a, b) => canonical(a) < canonical(b) ? -1 : canonical(a) > canonical(b) ? 1 : 0)
    return items
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [rawKey, v] of Object.entries(value)) {
      let key = rawKey
      if (side === 'legacy') key = c.renames.get(c.ci ? rawKey.toLowerCase() : rawKey) ?? rawKey
      if (c.ci) key = key.toLowerCase()
      const childPath = [...path, key]
      if (c.ignore.some(p => matchesPath(p, childPath, c.ci))) continue
      out[key] = normalise(v, c, side, childPath)
    }
    return out
  }
  return value
}
