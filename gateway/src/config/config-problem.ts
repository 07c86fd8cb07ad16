// One problem found in a config file, and the error that reports all of them at once.
import { ConfigInvalidError } from '../errors.js'

/** A problem at `path` (as written in the file: `routes[2].lambda.function`). */
export interface ConfigProblem {
  /** Dotted path in the config, e.g. `routes[2].target`; `''` for the whole document. */
  readonly path: string
  /** What was expected and what was found, e.g. `expected one of legacy|lambda, found "lamda"`. */
  readonly message: string
}

/** The thrown error: `ConfigInvalidError` (code GW_ERR_CONFIG_INVALID) with the structured list. */
export type ConfigInvalid = InstanceType<typeof ConfigInvalidError> & { errors: readonly ConfigProblem[] }

/** `a.b[2].c` from path parts. Keys that are not plain identifiers are quoted: `contexts["a.b"]`. */
export function formatPath (parts: ReadonlyArray<string | number>): string {
  let out = ''
  for (const part of parts) {
    if (typeof part === 'number') out += `[${part}]`
    else if (/^[A-Za-z_$][\w$-]*$/.test(part)) out += out === '' ? part : `.${part}`
    else out += `[${JSON.stringify(part)}]`
  }
  return out
}

/** A short, unambiguous rendering of a found value for messages. */
export function renderValue (value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list'
  if (typeof value === 'object') return 'an object'
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

const SECTION_ORDER = ['', 'stage', 'server', 'admin', 'legacy', 'lambda', 'routes']

function pathKey (path: string): Array<string | number> {
  return path.split(/[.[\]]+/).filter(p => p !== '').map(p => /^\d+$/.test(p) ? Number(p) : p)
}

/** Problems in document order: sections as in the file layout, list items by index (stable). */
export function sortProblems (problems: readonly ConfigProblem[]): ConfigProblem[] {
  const rank = (p: ConfigProblem): number => {
    const i = SECTION_ORDER.indexOf(pathKey(p.path)[0] as string ?? '')
    return i === -1 ? SECTION_ORDER.length : i
  }
  return [...problems].sort((a, b) => {
    const r = rank(a) - rank(b)
    if (r !== 0) return r
    const ka = pathKey(a.path)
    const kb = pathKey(b.path)
    for (let i = 1; i < Math.min(ka.length, kb.length); i++) {
      const x = ka[i]!
      const y = kb[i]!
      if (typeof x === 'number' && typeof y === 'number' && x !== y) return x - y
      if (typeof x === 'number' || typeof y === 'number') break // keep the checker's order within an item
    }
    return 0
  })
}

/** Build the thrown error. The message lists every problem, one per line: `  <path>: <message>`. */
export function configInvalid (problems: readonly ConfigProblem[], files: readonly string[]): ConfigInvalid {
  const n = problems.length
  const lines = problems.map(p => `  ${p.path === '' ? '(document)' : p.path}: ${p.message}`)
  const header = `${n} problem${n === 1 ? '' : 's'} in ${files.join(' + ')}`
  const err = new ConfigInvalidError([header, ...lines].join('\n')) as ConfigInvalid
  err.errors = Object.freeze([...problems])
  return err
}

/** True for the error thrown by loadConfig/parseConfig for a config with problems. */
export function isConfigInvalid (err: unknown): err is ConfigInvalid {
  return err instanceof Error && (err as { code?: unknown }).code === 'GW_ERR_CONFIG_INVALID' && Array.isArray((err as { errors?: unknown }).errors)
}
