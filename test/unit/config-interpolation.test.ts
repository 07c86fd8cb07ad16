/* eslint-disable no-template-curly-in-string -- the tests are about the literal ${VAR} syntax */
// ${VAR} and ${VAR:-default} come from the env given to the loader; an unset ${VAR} without a
// default names the variable and the file; $${ is a literal ${; env values never change the YAML
// structure; numeric/boolean strings are coerced where the schema wants numbers/booleans.
import t from 'tap'
import { parseConfig } from '../../gateway/src/config/load-config.js'
import { interpolateString } from '../../gateway/src/config/interpolate.js'
import type { ConfigProblem } from '../../gateway/src/config/config-problem.js'
import { problemsOf, thrown } from '../helpers/config.js'

function interp (text: string, env: Record<string, string>): { value: string, problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = []
  const value = interpolateString(text, env, { path: 'x', file: 'f.yaml' }, problems)
  return { value, problems }
}

t.test('the interpolation rules, one string at a time', async t => {
  const env = { A: 'alpha', EMPTY: '' }
  const cases: Array<[string, string]> = [
    ['${A}', 'alpha'],
    ['pre-${A}-post', 'pre-alpha-post'],
    ['${A}${A}', 'alphaalpha'],
    ['${UNSET:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'], // :- also replaces an empty value (as in sh, compose)
    ['${EMPTY}', ''],
    ['${UNSET:-}', ''],
    ['${A:-ignored}', 'alpha'],
    ['${UNSET:-http://h:1/p?q=1}', 'http://h:1/p?q=1'],
    ['$${A}', '${A}'], // escaped
    ['a$${b}c', 'a${b}c'],
    ['cost: $5', 'cost: $5'], // a lone $ is literal
    ['no refs', 'no refs']
  ]
  for (const [input, expected] of cases) {
    const r = interp(input, env)
    t.same(r, { value: expected, problems: [] }, `${input} → ${expected}`)
  }
})

t.test('an unset ${VAR} without default, and malformed references, are problems', async t => {
  t.same(interp('${MISSING}', {}).problems, [{
    path: 'x',
    message: 'expected environment variable MISSING to be set (or a default: ${MISSING:-value}), found it unset (in f.yaml)'
  }])
  t.same(interp('${1BAD}', {}).problems, [{ path: 'x', message: 'expected ${NAME} or ${NAME:-default}, found "${1BAD}" (in f.yaml)' }])
  t.same(interp('${OPEN', {}).problems, [{ path: 'x', message: 'expected ${NAME} or ${NAME:-default}, found "${OPEN" (in f.yaml)' }])
})

t.test('in a file: paths, file names, all problems at once', async t => {
  const err = thrown(() => parseConfig([
    'legacy:',
    '  url: ${LEGACY}',
    'routes:',
    '  - id: a',
    '    methods: [GET]',
    '    path: /a',
    '    target: lambda',
    '    lambda:',
    '      function: Fn-${FN_STAGE}'
  ].join('\n'), { file: 'config/gw.yaml', env: {} }))
  t.same(problemsOf(err), [
    { path: 'legacy.url', message: 'expected environment variable LEGACY to be set (or a default: ${LEGACY:-value}), found it unset (in config/gw.yaml)' },
    { path: 'routes[0].lambda.function', message: 'expected environment variable FN_STAGE to be set (or a default: ${FN_STAGE:-value}), found it unset (in config/gw.yaml)' }
  ], 'one problem per path: the unresolved value is not reported again as a bad type')
})

t.test('env strings become numbers and booleans where the schema wants them', async t => {
  const config = parseConfig([
    'server:',
    '  port: ${PORT}',
    '  exposeRoutingHeaders: ${EXPOSE:-false}',
    '  shutdownGraceMs: ${GRACE:-2500}'
  ].join('\n'), { env: { PORT: '18080' } })
  t.equal(config.server.port, 18080)
  t.equal(config.server.exposeRoutingHeaders, false)
  t.equal(config.server.shutdownGraceMs, 2500)
  const err = thrown(() => parseConfig('server:\n  port: ${PORT}\n', { env: { PORT: '80 80' } }))
  t.same(problemsOf(err), [{ path: 'server.port', message: 'expected an integer from 0 to 65535, found "80 80"' }])
  const strict = thrown(() => parseConfig('routes:\n  - { id: a, methods: [GET], path: /a, target: legacy, lambda: { function: F, qualifier: 7 } }\n', { env: {} }))
  t.same(problemsOf(strict), [{ path: 'routes[0].lambda.qualifier', message: 'expected an alias or version (letters, digits, $ - _) or empty, found 7' }],
    'numbers are not turned into strings')
})

t.test('an env value cannot inject YAML structure', async t => {
  const config = parseConfig('server:\n  host: ${HOST}\n', { env: { HOST: 'x\nadmin:\n  host: 0.0.0.0 # ' } })
  t.equal(config.server.host, 'x\nadmin:\n  host: 0.0.0.0 # ', 'one string')
  t.equal(config.admin.host, '127.0.0.1')
})

t.test('keys are not interpolated', async t => {
  const err = thrown(() => parseConfig('server:\n  ${KEY}: 1\n', { env: { KEY: 'port' } }))
  t.same(problemsOf(err), [{ path: 'server["${KEY}"]', message: 'unknown key' }])
})
