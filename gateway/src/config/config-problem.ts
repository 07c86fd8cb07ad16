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
