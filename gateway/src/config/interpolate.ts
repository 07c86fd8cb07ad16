// `${VAR}` / `${VAR:-default}` interpolation over the parsed YAML tree. Interpolating values after
// parsing (not the raw text) means an env value can never change the YAML structure: a value
// containing `: ` or `#` or a newline stays one string.
import { formatPath } from './config-problem.js'
import type { ConfigProblem } from './config-problem.js'

// `$${` (escaped) | `${NAME}` | `${NAME:-default}` | a malformed `${...`
const TOKEN = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\{[^}]*\}?/g

/**
 * Replace `${VAR}` in one string. `${VAR:-default}` uses the default when VAR is unset or empty
 * (as in sh and docker compose); `$${` is a literal `${`. Problems are pushed to `problems`.
 */
export function interpolateString (text: string, env: NodeJS.ProcessEnv, where: { path: string, file: string }, problems: ConfigProblem[]): string {
  if (!text.includes('${')) return text
  return text.replace(TOKEN, (match: string, name: string | undefined, fallback: string | undefined) => {
    if (match === '$${') return '${'
    if (name === undefined) {
      problems.push({ path: where.path, message: `expected \${NAME} or \${NAME:-default}, found ${JSON.stringify(match)} (in ${where.file})` })
      return match
    }
    const value = env[name]
    if (value !== undefined && value !== '') return value
    if (fallback !== undefined) return fallback
    if (value === '') return ''
    problems.push({
      path: where.path,
      message: `expected environment variable ${name} to be set (or a default: \${${name}:-value}), found it unset (in ${where.file})`
    })
    return match
  })
}

/** A deep copy of `tree` with every string value interpolated (keys are left as written). */
export function interpolateTree (tree: unknown, env: NodeJS.ProcessEnv, file: string, problems: ConfigProblem[]): unknown {
  const visit = (node: unknown, parts: Array<string | number>): unknown => {
    if (typeof node === 'string') return interpolateString(node, env, { path: formatPath(parts), file }, problems)
    if (Array.isArray(node)) return node.map((item, i) => visit(item, [...parts, i]))
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {}
      for (const [key, value] of Object.entries(node)) out[key] = visit(value, [...parts, key])
      return out
    }
    return node
  }
  return visit(tree, [])
}
