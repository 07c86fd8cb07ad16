// Guard and step-plan rules beyond the schema, as the loader reports them.
import t from 'tap'
import { parseConfig } from '../../gateway/src/config/load-config.js'

const doc = (route: string): string => `
routes:
  - id: users.get
    methods: [GET]
    path: /api/users/:id
    target: legacy
${route}`

function problems (route: string): string[] {
  try {
    parseConfig(doc(route), { env: {} })
    return []
  } catch (err) {
    const errors = (err as { errors?: Array<{ path: string, message: string }> }).errors
    return errors === undefined ? [String(err)] : errors.map(p => `${p.path}: ${p.message}`)
  }
}

t.test('a valid guard with a step plan loads with defaults', async t => {
  const c = parseConfig(doc('    lambda: { function: Users }\n    rollout: { percent: 5, steps: [5, 25, 50, 100], stepIntervalMs: 1000 }\n    guard: { enabled: true }'), { env: {} })
  t.match(c.routes[0], {
    rollout: { percent: 5, steps: [5, 25, 50, 100], stepIntervalMs: 1000 },
    guard: { enabled: true, window: 200, minSamples: 50, maxErrorRateDelta: 0.05, maxP95Ratio: 2, maxMismatchRate: 0.1, rollbackTo: 'legacy' }
  })
})

t.test('steps must ascend and need the guard; a guard needs a lambda section and minSamples ≤ window', async t => {
  t.same(problems('    lambda: { function: Users }\n    rollout: { steps: [5, 50, 25] }\n    guard: { enabled: true }'),
    ['routes[0].rollout.steps[2]: expected a step above 50 (steps ascend strictly), found 25'])
  t.same(problems('    lambda: { function: Users }\n    rollout: { steps: [5, 50] }'),
    ['routes[0].rollout.steps: expected guard.enabled: true (the guard advances the step plan), found the guard off'])
  t.same(problems('    guard: { enabled: true, window: 100, minSamples: 150 }'), [
    'routes[0].lambda: expected a lambda section (guard.enabled judges the Lambda side), found nothing',
    'routes[0].guard.minSamples: expected at most guard.window (100): the window never holds more samples, found 150'
  ])
})

t.test('schema bounds: step interval at least 1 s, steps from 1 to 100, unknown guard keys refused', async t => {
  const p = problems('    lambda: { function: Users }\n    rollout: { steps: [0, 50], stepIntervalMs: 10 }\n    guard: { enabled: true, maxErrorRate: 1 }')
  t.same(p, [
    'routes[0].rollout.steps[0]: expected a number from 1 to 100, found 0',
    'routes[0].rollout.stepIntervalMs: expected an integer from 1000 to 86400000, found 10',
    'routes[0].guard.maxErrorRate: unknown key'
  ])
})
