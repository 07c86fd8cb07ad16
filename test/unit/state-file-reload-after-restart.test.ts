// The embedded default wiring: route state on a state directory survives a restart (overrides,
// audit, last-hit times flushed on close), and a corrupt file stops the start.
import t from 'tap'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { openFileRouteState, routeDefinitionsFrom } from '../../gateway/src/ops/route-state-setup.js'
import { tempDir } from '../helpers/ops.js'

const CONFIG_ROUTES = [
  { id: 'users.get', methods: ['GET'], path: '/api/users/:id', target: 'lambda' as const, lambda: { function: 'Users-dev' }, rollout: { percent: 50 } },
  { id: 'billings.post', methods: ['POST'], path: '/api/billings', target: 'legacy' as const, shadow: { enabled: true } }
]

t.test('routeDefinitionsFrom maps config routes with defaults', async t => {
  t.same(routeDefinitionsFrom(CONFIG_ROUTES), [
    { id: 'users.get', methods: ['GET'], path: '/api/users/:id', lambdaFunction: 'Users-dev', config: { target: 'lambda', rolloutPercent: 50, shadow: { enabled: false } } },
    { id: 'billings.post', methods: ['POST'], path: '/api/billings', config: { target: 'legacy', rolloutPercent: 100, shadow: { enabled: true } } }
  ])
})

t.test('a restart on the same directory restores overrides, audit and last hits', async t => {
  const dir = tempDir(t)
  let now = Date.parse('2026-02-01T00:00:00Z')
  const first = await openFileRouteState({ dir, routes: routeDefinitionsFrom(CONFIG_ROUTES), now: () => now, flushMs: 3_600_000 })
  await first.routeState.patch('users.get', { rolloutPercent: 10 }, { who: 'alice', reason: 'canary' })
  first.routeState.lastHit.hitRoute('users.get')
  first.routeState.lastHit.hitFunction('Users-dev')
  await first.close()
  now += 1000

  const second = await openFileRouteState({ dir, routes: routeDefinitionsFrom(CONFIG_ROUTES), now: () => now })
  t.teardown(() => second.close())
  t.match(second.routeState.get('users.get'), { rolloutPercent: 10, sources: { rolloutPercent: 'runtime' } })
  t.same(second.routeState.lastHit.snapshot(), { routes: { 'users.get': now - 1000 }, functions: { 'Users-dev': now - 1000 } })
  t.equal(second.routeState.firstStartedAt, Date.parse('2026-02-01T00:00:00Z'))
  t.match(await second.audit.list(), [{ who: 'alice', reason: 'canary', routeId: 'users.get' }])
  t.match(readFileSync(join(dir, 'audit.jsonl'), 'utf8'), /"reason":"canary"/)
})

t.test('a corrupt state file refuses the start', async t => {
  const dir = tempDir(t)
  writeFileSync(join(dir, 'gateway-state.json'), 'not json')
  await t.rejects(openFileRouteState({ dir, routes: [] }), { code: 'GW_ERR_STATE_CORRUPT' })
})

t.test('periodic flush errors are reported', async t => {
  const dir = tempDir(t)
  const errors: unknown[] = []
  const opened = await openFileRouteState({ dir, routes: routeDefinitionsFrom(CONFIG_ROUTES), onFlushError: e => errors.push(e) })
  // Make the next write fail: the state directory is replaced by a plain file.
  rmSync(dir, { recursive: true, force: true })
  writeFileSync(dir, 'now a file')
  opened.routeState.lastHit.hitRoute('users.get')
  await opened.close()
  t.equal(errors.length, 1)
  t.match(errors[0], { code: 'GW_ERR_STATE_WRITE' })
  rmSync(dir, { force: true })
})
