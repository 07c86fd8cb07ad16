/* eslint-disable no-template-curly-in-string -- the tests are about the literal ${VAR} syntax */
// Route problems the schema alone cannot see: duplicate ids, a lambda target without a function,
// an unknown bounded context, ambiguous overlaps, invalid path patterns. Full messages asserted.
import t from 'tap'
import { loadConfig, parseConfig } from '../../gateway/src/config/load-config.js'
import { configFixture, problemsOf, thrown } from '../helpers/config.js'

function message (name: string): string {
  return thrown(() => loadConfig({ path: configFixture(name), env: {} })).message
}

t.test('duplicate route ids', async t => {
  t.equal(message('bad-duplicate-id.yaml'), [
    'invalid gateway config: 1 problem in test/fixtures/configs/bad-duplicate-id.yaml',
    '  routes[1].id: expected a unique route id, found "users.get" (also routes[0].id)'
  ].join('\n'))
})

t.test('a lambda target without lambda.function', async t => {
  t.equal(message('bad-lambda-without-function.yaml'), [
    'invalid gateway config: 2 problems in test/fixtures/configs/bad-lambda-without-function.yaml',
    '  routes[0].lambda.function: expected a Lambda function name (required when target is lambda), found nothing',
    '  routes[1].lambda.function: expected a Lambda function name (letters, digits, - and _, at most 64) or its ARN, found nothing'
  ].join('\n'))
})

t.test('an unknown lambda.context', async t => {
  t.equal(message('bad-unknown-context.yaml'), [
    'invalid gateway config: 1 problem in test/fixtures/configs/bad-unknown-context.yaml',
    '  routes[0].lambda.context: expected a key of lambda.contexts (users), found "projects"'
  ].join('\n'))
  const err = thrown(() => parseConfig('routes: [{ id: a, methods: [GET], path: /a, target: lambda, lambda: { function: F, context: x } }]', { env: {} }))
  t.same(problemsOf(err), [{ path: 'routes[0].lambda.context', message: 'expected a key of lambda.contexts (none are defined), found "x"' }])
})

t.test('overlapping routes that make matching ambiguous (case-insensitive by default)', async t => {
  t.equal(message('bad-ambiguous-overlap.yaml'), [
    'invalid gateway config: 1 problem in test/fixtures/configs/bad-ambiguous-overlap.yaml',
    '  routes[1].path: expected a path no earlier GET route matches with the same specificity, found "/API/Users/:userId" (ambiguous with routes[0] users.get "/api/users/:id")'
  ].join('\n'))
})

t.test('the same overlap is fine when matching is case-sensitive, or methods differ', async t => {
  const routes = 'routes: [{ id: a, methods: [GET], path: /api/users/:id, target: legacy }, { id: b, methods: [GET], path: /API/Users/:userId, target: legacy }]'
  t.equal(parseConfig(`server: { caseSensitive: true }\n${routes}`, { env: {} }).routes.length, 2)
  const byMethod = 'routes: [{ id: a, methods: [GET], path: /api/users/:id, target: legacy }, { id: b, methods: [PUT], path: /api/users/:userId, target: legacy }]'
  t.equal(parseConfig(byMethod, { env: {} }).routes.length, 2)
  const moreSpecific = 'routes: [{ id: a, methods: [GET], path: /api/users/:id, target: legacy }, { id: b, methods: [GET], path: /api/users/me, target: legacy }, { id: c, methods: [GET], path: /api/*, target: legacy }]'
  t.equal(parseConfig(moreSpecific, { env: {} }).routes.length, 3, 'static, param and wildcard never tie')
})

t.test('invalid path patterns, each with the rule it breaks', async t => {
  t.equal(message('bad-path-pattern.yaml'), [
    'invalid gateway config: 5 problems in test/fixtures/configs/bad-path-pattern.yaml',
    '  routes[0].path: expected a path pattern with * only as the last segment, found "/api/*/x"',
    '  routes[1].path: expected a path pattern with no empty segments and no trailing /, found "/api/users/"',
    '  routes[2].path: expected a path pattern with unique param names (:id is used twice), found "/api/users/:id/:id"',
    '  routes[3].path: expected a path pattern with static segments of letters, digits and - . _ ~ only (params are whole :name segments, * only as the last segment), found "/api/file-:name.json"',
    '  routes[4].path: expected a path pattern starting with / (static segments, :param segments, a trailing *), found "api/users"'
  ].join('\n'))
})

t.test('addresses and listeners', async t => {
  const err = thrown(() => parseConfig([
    'server: { port: 8080, trustedProxies: [10.0.0.0/8, 10.0.0.1, "::1/129", proxy.local] }',
    'admin: { port: 8080 }',
    'legacy: { url: "http://user:pw@legacy:5000" }'
  ].join('\n'), { env: {} }))
  t.same(problemsOf(err).map(p => `${p.path}: ${p.message}`), [
    'server.trustedProxies[2]: expected an IP address or CIDR, found "::1/129"',
    'server.trustedProxies[3]: expected an IP address or CIDR, found "proxy.local"',
    'admin.port: expected a port other than server.port on the same host, found 8080',
    'legacy.url: expected an http:// or https:// URL without user:password, found "http://user:pw@legacy:5000"'
  ])
})

t.test('every problem of every kind is reported at once, across base and overlay', async t => {
  const err = thrown(() => parseConfig([
    'legacy: { rateLimt: 1 }',
    'routes:',
    '  - { id: a, methods: [GET], path: /x/:id, target: lambda }',
    '  - { id: a, methods: [GET], path: /x/:other, target: legacy }'
  ].join('\n'), { file: 'base.yaml', env: {}, overlay: { file: 'over.yaml', text: 'server:\n  port: ${NOPE}\n  caseSensitve: true\n' } }))
  t.equal(err.message, [
    'invalid gateway config: 6 problems in base.yaml + over.yaml',
    '  server.port: expected environment variable NOPE to be set (or a default: ${NOPE:-value}), found it unset (in over.yaml)',
    '  server.caseSensitve: unknown key',
    '  legacy.rateLimt: unknown key',
    '  routes[0].lambda.function: expected a Lambda function name (required when target is lambda), found nothing',
    '  routes[1].id: expected a unique route id, found "a" (also routes[0].id)',
    '  routes[1].path: expected a path no earlier GET route matches with the same specificity, found "/x/:other" (ambiguous with routes[0] a "/x/:id")'
  ].join('\n'))
})
