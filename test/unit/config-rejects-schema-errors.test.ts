// A config with unknown keys, wrong types or bad enum values is refused with every problem
// listed as `<path>: expected <x>, found <y>` (message and structured `errors` both asserted).
import t from 'tap'
import { loadConfig } from '../../gateway/src/config/load-config.js'
import { configFixture, problemsOf, thrown } from '../helpers/config.js'

function failure (name: string): { code: string | undefined, message: string, errors: readonly unknown[] } {
  const err = thrown(() => loadConfig({ path: configFixture(name), env: {} }))
  return { code: err.code, message: err.message, errors: problemsOf(err) }
}

t.test('unknown keys are errors, not silently ignored', async t => {
  const f = failure('bad-unknown-key.yaml')
  t.equal(f.code, 'GW_ERR_CONFIG_INVALID')
  t.equal(f.message, [
    'invalid gateway config: 2 problems in test/fixtures/configs/bad-unknown-key.yaml',
    '  server.bodyLimitByte: unknown key',
    '  legacy.rateLimt: unknown key'
  ].join('\n'))
  t.same(f.errors, [
    { path: 'server.bodyLimitByte', message: 'unknown key' },
    { path: 'legacy.rateLimt', message: 'unknown key' }
  ])
})

t.test('wrong types name what was expected and what was found', async t => {
  t.equal(failure('bad-wrong-type.yaml').message, [
    'invalid gateway config: 4 problems in test/fixtures/configs/bad-wrong-type.yaml',
    '  server.port: expected an integer from 0 to 65535, found "eighty"',
    '  server.exposeRoutingHeaders: expected true or false, found "yes"',
    '  legacy.timeoutMs: expected an integer from 0 to 600000, found "5s"',
    '  routes[0].methods: expected a non-empty list of upper-case HTTP methods (GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) without duplicates, found "GET"'
  ].join('\n'))
})

t.test('bad enum values list the allowed ones', async t => {
  t.equal(failure('bad-enum.yaml').message, [
    'invalid gateway config: 2 problems in test/fixtures/configs/bad-enum.yaml',
    '  routes[2].methods[0]: expected one of GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS, found "GTE"',
    '  routes[2].target: expected one of legacy|lambda, found "lamda"'
  ].join('\n'))
})

t.test('missing required route fields, ranges, patterns, nested keys', async t => {
  const dir = t.testdir({
    'gateway.yaml': [
      'server: { port: 70000, internalHeaders: [X-Secret] }',
      'lambda:',
      '  region: Europe',
      '  contexts:',
      '    users: { roleArn: admin }',
      '    Billing: {}',
      'routes:',
      '  - { id: Users.Get, path: /api/users, target: legacy }',
      '  - [not, a, route]'
    ].join('\n')
  })
  const err = thrown(() => loadConfig({ path: `${dir}/gateway.yaml`, env: {} }))
  t.same(problemsOf(err).map(p => `${p.path}: ${p.message}`), [
    'server.port: expected an integer from 0 to 65535, found 70000',
    'server.internalHeaders[0]: expected a lower-case header name, found "X-Secret"',
    'lambda.region: expected an AWS region like eu-central-1, found "Europe"',
    'lambda.contexts.users.roleArn: expected an IAM role ARN like arn:aws:iam::123456789012:role/name, found "admin"',
    'lambda.contexts.Billing: unknown key (keys must match /^[a-z][a-z0-9-]*$/)',
    'routes[0].methods: expected a non-empty list of upper-case HTTP methods (GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) without duplicates, found nothing',
    'routes[0].id: expected a route id of lower-case letters, digits, . _ - (like users.get), found "Users.Get"',
    'routes[1]: expected an object, found a list'
  ])
})

t.test('a non-mapping document is refused', async t => {
  const dir = t.testdir({ 'gateway.yaml': '- just\n- a list\n' })
  const err = thrown(() => loadConfig({ path: `${dir}/gateway.yaml`, env: {} }))
  t.same(problemsOf(err), [{ path: '', message: `expected a mapping of settings at the top of ${dir}/gateway.yaml, found a list` }])
  t.match(err.message, /\n {2}\(document\): expected a mapping/)
})
