// The route `shadow` section as the loader reads it: defaults that never shadow a write, the
// refusals the schema cannot express (no lambda, unsupported JSON paths), and typos.
import t from 'tap'
import { parseConfig } from '../../gateway/src/config/load-config.js'

const doc = (route: string): string => `
routes:
  - id: users.get
    methods: [GET, POST]
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

t.test('a shadow section loads with defaults that never shadow a write', async t => {
  const c = parseConfig(doc('    lambda: { function: Users }\n    shadow: { enabled: true }'), { env: {} })
  t.same(c.routes[0]?.shadow, {
    enabled: true,
    sampleRate: 1,
    allowWrites: false,
    idempotencyKeyHeader: 'idempotency-key',
    maxBodyBytes: 65536,
    maxConcurrent: 8,
    compare: { ignore: [], arraysAsSets: [], caseInsensitiveKeys: false, renames: {}, headers: [] },
    noise: { enabled: false }
  })
  t.match(parseConfig(doc(''), { env: {} }).routes[0]?.shadow, { enabled: false, allowWrites: false }, 'no section: the defaults, off')
})

t.test('refusals', async t => {
  t.same(problems('    shadow: { enabled: true }'), ['routes[0].lambda: expected a lambda section (shadow.enabled compares legacy with the Lambda), found nothing'])
  t.same(problems('    shadow: { enabled: false }'), [], 'a disabled section without a lambda is fine')
  t.same(problems("    lambda: { function: Users }\n    shadow: { enabled: true, compare: { ignore: ['$.ok', '$.items[?(@.x)]'], arraysAsSets: ['$..tags', '$.a.'] } }"), [
    'routes[0].shadow.compare.ignore[1]: expected a JSON path of $ .key ..key [*] [n], found "$.items[?(@.x)]"',
    'routes[0].shadow.compare.arraysAsSets[1]: expected a JSON path of $ .key ..key [*] [n], found "$.a."'
  ])
  t.match(problems('    lambda: { function: Users }\n    shadow: { enabled: true, sampleRate: 1.5 }'), [/routes\[0\]\.shadow\.sampleRate/])
  t.match(problems('    lambda: { function: Users }\n    shadow: { enabled: true, allowWrite: true }'), [/routes\[0\]\.shadow.*allowWrite/])
})
