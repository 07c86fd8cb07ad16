// Config rules of the guard and the step plan that the schema cannot express. Called by
// config/semantic-checks.ts on each schema-valid route.
import type { ConfigProblem } from '../config/config-problem.js'
import { renderValue } from '../config/config-problem.js'

/** The route fields these checks read (structural, so the config types fit). */
export interface GuardedRouteLike {
  lambda?: unknown
  rollout?: { steps?: number[] | undefined } | undefined
  guard?: { enabled: boolean, window: number, minSamples: number } | undefined
}

export function guardProblems (route: GuardedRouteLike, at: string): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  const guard = route.guard
  if (guard?.enabled === true) {
    if (route.lambda === undefined) {
      problems.push({ path: `${at}.lambda`, message: 'expected a lambda section (guard.enabled judges the Lambda side), found nothing' })
    }
    if (guard.minSamples > guard.window) {
      problems.push({ path: `${at}.guard.minSamples`, message: `expected at most guard.window (${guard.window}): the window never holds more samples, found ${guard.minSamples}` })
    }
  }
  const steps = route.rollout?.steps
  if (steps !== undefined) {
    const bad = steps.findIndex((s, i) => i > 0 && s <= (steps[i - 1] as number))
    if (bad > 0) problems.push({ path: `${at}.rollout.steps[${bad}]`, message: `expected a step above ${renderValue(steps[bad - 1])} (steps ascend strictly), found ${renderValue(steps[bad])}` })
    if (guard?.enabled !== true) problems.push({ path: `${at}.rollout.steps`, message: 'expected guard.enabled: true (the guard advances the step plan), found the guard off' })
  }
  return problems
}
