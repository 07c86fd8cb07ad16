// The same gatewayctl flows as the spawned tests, through run() in-process (so coverage sees
// the CLI): a canary walk 10% -> 50% -> 100% and a one-command rollback.
import t from 'tap'
import { ALICE_TOKEN, startAdmin } from '../helpers/ops.js'
import { runCli } from '../helpers/ops-cli.js'

t.test('canary walk and rollback through run()', async t => {
  const h = await startAdmin(t)
  const env = { GATEWAY_ADMIN_URL: h.url, GATEWAY_ADMIN_TOKEN: ALICE_TOKEN }
  const steps: string[][] = [
    ['shadow', 'projects.list', 'on', '--reason', 'compare first'],
    ['rollout', 'projects.list', '10'],
    ['flip', 'projects.list', 'lambda', '--reason', 'canary'],
    ['rollout', 'projects.list', '50'],
    ['rollout', 'projects.list', '100'],
    ['shadow', 'projects.list', 'off']
  ]
  for (const argv of steps) {
    const r = await runCli(argv, env)
    t.same([r.code, r.stderr], [0, ''], argv.join(' '))
    t.match(r.stdout, /^projects\.list: .* \(by alice at /)
  }
  t.match(h.routeState.get('projects.list'), { target: 'lambda', rolloutPercent: 100, shadow: { enabled: false } })
  const rollback = await runCli(['flip', 'projects.list', 'legacy', '--reason', 'rollback'], env)
  t.equal(rollback.stdout, 'projects.list: target lambda -> legacy (by alice at 2026-01-01T00:00:00.000Z, reason: rollback)\n')
  t.equal(h.routeState.get('projects.list')?.target, 'legacy', 'one command back to legacy')
  for (const cmd of [['status'], ['routes'], ['audit', '--json'], ['unused', '--days', '1']]) {
    t.equal((await runCli(cmd, env)).code, 0, cmd.join(' '))
  }
  t.equal((await h.audit.list()).length, 7, 'every step audited')
})

t.test('usage errors and reload through run()', async t => {
  const h = await startAdmin(t)
  const env = { GATEWAY_ADMIN_URL: h.url, GATEWAY_ADMIN_TOKEN: ALICE_TOKEN }
  for (const argv of [['flip', 'x'], ['rollout', 'x', ''], ['shadow', 'x', 'maybe'], ['unused', '--days', 'many'], ['reload', 'x'], ['audit', '--limit', 'ten']]) {
    const r = await runCli(argv, env)
    t.equal(r.code, 2, argv.join(' '))
    t.match(r.stderr, /Run "gatewayctl help" for usage/)
  }
  t.same(await runCli(['reload', '--json'], env).then(r => [r.code, JSON.parse(r.stdout).ok]), [0, true])
  t.same(await runCli(['reload'], env), { code: 0, stdout: 'config reloaded (by alice at 2026-01-01T00:00:00.000Z)\n', stderr: '' })
  t.equal((await runCli(['unused', '3', '--json'], env)).code, 0, 'days as a positional argument')
})
