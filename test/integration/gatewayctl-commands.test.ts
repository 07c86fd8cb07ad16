// gatewayctl as a real child process against a real admin listener: every command's human
// output, its --json output, and exit code 0; the changes land in the route state and audit.
import t from 'tap'
import { ADMIN_TOKEN, ALICE_TOKEN, startAdmin } from '../helpers/ops.js'
import { bundleCli, spawnCli } from '../helpers/ops-cli.js'

t.test('gatewayctl commands end to end', async t => {
  const h = await startAdmin(t)
  const bundle = await bundleCli(t)
  const env = { GATEWAY_ADMIN_URL: h.url, GATEWAY_ADMIN_TOKEN: ALICE_TOKEN }
  const ctl = (...argv: string[]): ReturnType<typeof spawnCli> => spawnCli(bundle, argv, env)

  t.test('status: one line per route with stats and breakers', async t => {
    h.breakers.open('lambda:Users-dev')
    t.teardown(() => { h.breakers.close('lambda:Users-dev') })
    const r = await ctl('status')
    t.same([r.code, r.stderr], [0, ''])
    t.equal(r.stdout, [
      'ROUTE          METHOD  PATH            TARGET  ROLLOUT  LEGACY REQ  LEGACY ERR  LEGACY P95  LAMBDA REQ  LAMBDA ERR  LAMBDA P95  BREAKER',
      'users.get      GET     /api/users/:id  lambda     100%         120        2.5%        48ms          30        0.0%        13ms  lambda:open',
      'projects.list  GET     /api/projects   legacy        -           -           -           -           -           -           -  closed',
      'billings.post  POST    /api/billings   legacy        -           -           -           -           -           -           -  closed',
      ''
    ].join('\n'))
    const json = await ctl('status', '--json')
    t.equal(json.code, 0)
    t.same(JSON.parse(json.stdout).routes.map((x: { id: string }) => x.id), ['users.get', 'projects.list', 'billings.post'])
  })

  t.test('flip, rollout and shadow change the route, audited with the reason', async t => {
    const flip = await ctl('flip', 'users.get', 'legacy', '--reason', 'lambda 5xx spike')
    t.same([flip.code, flip.stderr], [0, ''])
    t.equal(flip.stdout, 'users.get: target lambda -> legacy (by alice at 2026-01-01T00:00:00.000Z, reason: lambda 5xx spike)\n')
    t.equal(h.routeState.get('users.get')?.target, 'legacy')

    const rollout = await ctl('rollout', 'users.get', '10%')
    t.equal(rollout.stdout, 'users.get: rollout 100% -> 10% (by alice at 2026-01-01T00:00:00.000Z)\n')
    const shadow = await ctl('shadow', 'users.get', 'on', '--reason', 'compare')
    t.equal(shadow.stdout, 'users.get: shadow off -> on (by alice at 2026-01-01T00:00:00.000Z, reason: compare)\n')
    const back = await ctl('flip', 'users.get', 'lambda', '--json')
    t.equal(back.code, 0)
    t.match(JSON.parse(back.stdout), { route: { target: 'lambda', rolloutPercent: 10 }, audit: { who: 'alice', action: 'route.patch' } })
    t.same(h.routeState.get('users.get'), {
      target: 'lambda',
      rolloutPercent: 10,
      shadow: { enabled: true },
      sources: { target: 'runtime', rolloutPercent: 'runtime', 'shadow.enabled': 'runtime' }
    })
  })

  t.test('routes marks runtime overrides', async t => {
    const r = await ctl('routes')
    t.equal(r.code, 0)
    t.equal(r.stdout, [
      'ROUTE          METHODS  PATH            TARGET   ROLLOUT  SHADOW  FUNCTION      LAST HIT',
      'users.get      GET      /api/users/:id  lambda*     10%*  on*     Users-dev     never',
      'projects.list  GET      /api/projects   legacy        0%  off     Projects-dev  never',
      'billings.post  POST     /api/billings   legacy      100%  off     -             never',
      '* runtime override (set through the admin API; config value in --json)',
      ''
    ].join('\n'))
    t.equal(JSON.parse((await ctl('routes', '--json')).stdout).routes[0].config.target, 'lambda')
  })

  t.test('audit lists the changes newest first', async t => {
    const r = await ctl('audit', '--limit', '3')
    t.equal(r.code, 0)
    t.equal(r.stdout, [
      'TIME                      WHO    ACTION       ROUTE      CHANGE                   REASON',
      '2026-01-01T00:00:00.000Z  alice  route.patch  users.get  target legacy -> lambda  -',
      '2026-01-01T00:00:00.000Z  alice  route.patch  users.get  shadow off -> on         compare',
      '2026-01-01T00:00:00.000Z  alice  route.patch  users.get  rollout 100% -> 10%      -',
      ''
    ].join('\n'))
    const json = JSON.parse((await ctl('audit', '--json')).stdout)
    t.equal(json.entries.length, 4)
    t.match(json.entries[3], { who: 'alice', reason: 'lambda 5xx spike', before: { target: 'lambda' }, after: { target: 'legacy' } })
  })

  t.test('unused follows the admin clock', async t => {
    const none = await ctl('unused', '--days', '7')
    t.equal(none.code, 0)
    t.equal(none.stdout, [
      'No traffic for 7 day(s) (as of 2026-01-01T00:00:00.000Z; never-hit items count from 2026-01-01T00:00:00.000Z):',
      'Routes: none',
      'Lambda functions: none',
      ''
    ].join('\n'))
    h.routeState.lastHit.hitRoute('users.get')
    h.routeState.lastHit.hitFunction('Users-dev')
    h.clock.now += 8 * 86_400_000
    const some = await ctl('unused', '--days', '7')
    t.equal(some.stdout, [
      'No traffic for 7 day(s) (as of 2026-01-09T00:00:00.000Z; never-hit items count from 2026-01-01T00:00:00.000Z):',
      'Routes:',
      'ID             LAST HIT                  IDLE DAYS',
      'billings.post  never                             8',
      'projects.list  never                             8',
      'users.get      2026-01-01T00:00:00.000Z          8',
      'Lambda functions:',
      'ID            LAST HIT                  IDLE DAYS',
      'Projects-dev  never                             8',
      'Users-dev     2026-01-01T00:00:00.000Z          8',
      ''
    ].join('\n'))
    const json = JSON.parse((await ctl('unused', '--days', '9', '--json')).stdout)
    t.same([json.routes, json.functions], [[], []])
  })

  t.test('the admin token env var is the one used (ADMIN_TOKEN audits as admin)', async t => {
    const r = await spawnCli(bundle, ['flip', 'projects.list', 'lambda'], { GATEWAY_ADMIN_URL: h.url, GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN })
    t.match(r.stdout, /by admin at/)
  })
})

t.test('gatewayctl reload: applied, or refused with the errors (exit 6)', async t => {
  const h = await startAdmin(t)
  const bundle = await bundleCli(t)
  const env = { GATEWAY_ADMIN_URL: h.url, GATEWAY_ADMIN_TOKEN: ALICE_TOKEN }
  const ok = await spawnCli(bundle, ['reload', '--reason', 'new route'], env)
  t.same(ok, { code: 0, stdout: 'config reloaded (by alice at 2026-01-01T00:00:00.000Z)\n', stderr: '' })
  h.reloadResult.value = { ok: false, errors: ['routes.0.path: must start with /', 'routes.1.id: duplicate'] }
  const refused = await spawnCli(bundle, ['reload'], env)
  t.same(refused, {
    code: 6,
    stdout: '',
    stderr: 'gatewayctl: config reload refused, the old config keeps serving:\n  routes.0.path: must start with /\n  routes.1.id: duplicate\n'
  })
  t.match((await h.audit.list()).map(e => [e.action, e.reason]), [['config.reload.refused', null], ['config.reload', 'new route']])
  t.equal((await spawnCli(bundle, ['reload', 'now'], env)).code, 2)
})
