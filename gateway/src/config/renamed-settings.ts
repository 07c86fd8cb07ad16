// Settings that were renamed: the old name still loads (existing configs keep working) and the
// loaded config remembers a deprecation, which the gateway logs once at start
// (server-state.ts). Both names at once is an error: which one should win is a guess.
import type { ConfigProblem } from './config-problem.js'

interface Rename { section: string, from: string, to: string, why: string }

const RENAMES: readonly Rename[] = [
  { section: 'legacy', from: 'retries', to: 'bufferedRetries', why: 'it only ever applied to buffered calls, shadow and async delivery, never to a proxied request' }
]

export interface ConfigDeprecation {
  /** The old setting, e.g. `legacy.retries`. */
  path: string
  /** The setting to write instead. */
  replacement: string
  message: string
}

type Tree = Record<string, unknown>
const sectionOf = (tree: Tree, name: string): Tree | undefined => {
  const v = tree[name]
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v as Tree : undefined
}

/** The new names the merged file sets itself (read before defaults fill them in). */
export function writtenNewNames (tree: Tree): Set<string> {
  return new Set(RENAMES.filter(r => sectionOf(tree, r.section)?.[r.to] !== undefined).map(r => `${r.section}.${r.to}`))
}

/**
 * Moves each old name's (validated, defaulted) value to its new name in `value` and returns the
 * deprecations; a file that writes both names gets a problem instead.
 */
export function applyRenames (value: Tree, written: ReadonlySet<string>, problems: ConfigProblem[]): ConfigDeprecation[] {
  const out: ConfigDeprecation[] = []
  for (const r of RENAMES) {
    const section = sectionOf(value, r.section)
    if (section?.[r.from] === undefined) continue
    const path = `${r.section}.${r.from}`
    const replacement = `${r.section}.${r.to}`
    if (written.has(replacement)) {
      problems.push({ path, message: `expected only ${replacement} (${path} is its old name), found both` })
      continue
    }
    section[r.to] = section[r.from]
    delete section[r.from]
    out.push({ path, replacement, message: `${path} is deprecated: renamed to ${replacement} (${r.why}); read as ${replacement} for now` })
  }
  return out
}

const deprecations = new WeakMap<object, readonly ConfigDeprecation[]>()

export function rememberDeprecations (config: object, list: readonly ConfigDeprecation[]): void {
  if (list.length > 0) deprecations.set(config, list)
}

/** The renamed settings a loaded config used under their old names (empty for most configs). */
export function configDeprecations (config: object): readonly ConfigDeprecation[] {
  return deprecations.get(config) ?? []
}
