// Config rules of a route's `shadow` section that the schema cannot express: the JSON paths must
// be of the supported subset (else every comparison would fail at run time), and a shadowed route
// needs both sides. Called by config/semantic-checks.ts on each schema-valid route.
import type { ConfigProblem } from '../config/config-problem.js'
import { renderValue } from '../config/config-problem.js'
import { parseJsonPath } from './compare/json-path.js'

/** The route fields these checks read (structural, so the config types fit). */
export interface ShadowedRouteLike {
  lambda?: unknown
  shadow?: { enabled: boolean, compare?: { ignore?: string[], arraysAsSets?: string[] } } | undefined
}

export function shadowProblems (route: ShadowedRouteLike, at: string): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  const shadow = route.shadow
  if (shadow === undefined) return problems
  if (shadow.enabled && route.lambda === undefined) {
    problems.push({ path: `${at}.lambda`, message: 'expected a lambda section (shadow.enabled compares legacy with the Lambda), found nothing' })
  }
  for (const key of ['ignore', 'arraysAsSets'] as const) {
    (shadow.compare?.[key] ?? []).forEach((path, i) => {
      try {
        parseJsonPath(path)
      } catch {
        problems.push({ path: `${at}.shadow.compare.${key}[${i}]`, message: `expected a JSON path of $ .key ..key [*] [n], found ${renderValue(path)}` })
      }
    })
  }
  return problems
}
