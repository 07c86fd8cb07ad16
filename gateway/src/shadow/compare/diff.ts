// Structural diff of two normalised JSON values → [{ path, legacy, lambda }]. Pure, bounded.
import { formatPath } from './json-path.js'
import type { ConcretePath } from './json-path.js'

export interface DiffEntry { path: string, legacy: unknown, lambda: unknown }

export function diffJson (legacy: unknown, lambda: unknown, max = 50): DiffEntry[] {
  const out: DiffEntry[] = []
  const walk = (a: unknown, b: unknown, p: ConcretePath): void => {
    if (out.length >= max) return
    if (Array.isArray(a) && Array.isArray(b)) {
      const n = Math.max(a.length, b.length)
      for (let i = 0; i < n; i++) walk(a[i], b[i], [...p, i])
      return
    }
    if (isObj(a) && isObj(b)) {
      const keys = new Set([...Object.keys(a), ...Object.keys(b)])
      for (const k of [...keys].sort()) walk(a[k], b[k], [...p, k])
      return
    }
    if (!Object.is(a, b)) out.push({ path: formatPath(p), legacy: a, lambda: b })
  }
  walk(legacy, lambda, [])
  return out
}

function isObj (v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}
