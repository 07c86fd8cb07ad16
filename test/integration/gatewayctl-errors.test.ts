// gatewayctl as a child process fails clearly and with a distinct non-zero exit code when the
// admin API is unreachable, the token is missing or wrong, the route is unknown, a value is
// refused, or the command line is wrong.
import t from 'tap'
import { ADMIN_TOKEN, startAdmin } from '../helpers/ops.js'
import { bundleCli, closedPort, spawnCli } from '../helpers/ops-cli.js'

t.test('gatewayctl error cases', async t => {
  const h = await startAdmin(t)
  const bundle = await bundleCli(t)
  const env = { GATEWAY_ADMIN_URL: h.url, GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN }

  t.test('unreachable admin: exit 3', async t => {
    const url = `http://127.0.0.1:${await closedPort()}`
    const r = await spawnCli(bundle, ['status'], { GATEWAY_ADMIN_URL: url, GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN })
    t.same(r, { code: 3, stdout: '', stderr: `gatewayctl: cannot reach the admin API at ${url} (ECONNREFUSED). Is the gateway running? Set GATEWAY_ADMIN_URL if it listens elsewhere.\n` })
  })

  t.test('no token and bad token: exit 4', async t => {
    const none = await spawnCli(bundle, ['routes'], { GATEWAY_ADMIN_URL: h.url })
    t.same(none, { code: 4, stdout: '', stderr: 'gatewayctl: the admin API refused the request: admin API: missing bearer token (GATEWAY_ADMIN_TOKEN is not set)\n' })
    const bad = await spawnCli(bundle, ['flip', 'users.get', 'legacy'], { GATEWAY_ADMIN_URL: h.url, GATEWAY_ADMIN_TOKEN: 'guess' })
    t.same(bad, { code: 4, stdout: '', stderr: 'gatewayctl: the admin API refused the request: admin API: invalid bearer token (check GATEWAY_ADMIN_TOKEN)\n' })
    t.equal(h.routeState.get('users.get')?.target, 'lambda', 'nothing changed')
  })

  t.test('unknown route: exit 5', async t => {
    const r = await spawnCli(bundle, ['rollout', 'nope.get', '10'], env)
    t.same(r, { code: 5, stdout: '', stderr: 'gatewayctl: unknown route "nope.get"\n' })
  })

  t.test('refused value: exit 6 naming the field', async t => {
    const r = await spawnCli(bundle, ['rollout', 'users.get', '150'], env)
    t.same(r, { code: 6, stdout: '', stderr: 'gatewayctl: invalid request:\n  rolloutPercent: must be a number from 0 to 100 or null\n' })
  })

  t.test('usage errors: exit 2 before any request', async t => {
    const cases: Array<[string[], RegExp]> = [
      [[], /^usage: gatewayctl <command>/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [['flip', 'users.get', 'azure'], /usage: gatewayctl flip <route> legacy\|lambda/],
      [['rollout', 'users.get', 'ten'], /usage: gatewayctl rollout <route> <percent 0-100>/],
      [['shadow', 'users.get'], /usage: gatewayctl shadow <route> on\|off/],
      [['unused'], /usage: gatewayctl unused --days N/],
      [['audit', '--limit', '0'], /--limit must be a positive integer/],
      [['status', '--colour'], /Unknown option '--colour'/]
    ]
    for (const [argv, message] of cases) {
      const r = await spawnCli(bundle, argv, env)
      t.equal(r.code, 2, `${argv.join(' ')}: exit 2`)
      t.match(r.stderr, message)
      t.equal(r.stdout, '')
    }
    const badUrl = await spawnCli(bundle, ['status'], { GATEWAY_ADMIN_URL: 'not a url' })
    t.same(badUrl, { code: 2, stdout: '', stderr: 'gatewayctl: GATEWAY_ADMIN_URL is not a valid URL: "not a url"\n' })
    t.equal((await h.audit.list()).length, 0, 'no failed command changed anything')
  })

  t.test('help: exit 0 on stdout', async t => {
    const r = await spawnCli(bundle, ['help'], env)
    t.equal(r.code, 0)
    t.match(r.stdout, /exit codes: 0 ok, 1 admin API error, 2 usage, 3 unreachable, 4 bad token, 5 unknown route, 6 invalid value/)
  })
})
