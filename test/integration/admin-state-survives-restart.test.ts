// With the file-backed state store and audit log, a change made through the admin API is on disk
// before the 200 answer and is there for a new gateway instance started on the same directory.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createFileAuditLog } from '../../gateway/src/ops/audit-log.js'
import { createFileStateStore } from '../../gateway/src/ops/state-file.js'
import { ADMIN_TOKEN, adminFetch, startAdmin, tempDir } from '../helpers/ops.js'

t.test('state and audit survive a restart', async t => {
  const dir = tempDir(t)
  const services = (): { store: ReturnType<typeof createFileStateStore>, audit: ReturnType<typeof createFileAuditLog> } =>
    ({ store: createFileStateStore({ dir }), audit: createFileAuditLog(join(dir, 'audit.jsonl')) })

  const first = await startAdmin(t, services())
  const res = await adminFetch(first.url, '/admin/routes/users.get', {
    method: 'PATCH', token: ADMIN_TOKEN, body: { target: 'legacy', shadow: { enabled: true }, reason: 'incident 42' }
  })
  t.equal(res.status, 200)
  // Persisted before the answer: the file already holds the change.
  const onDisk = JSON.parse(readFileSync(join(dir, 'gateway-state.json'), 'utf8'))
  t.same(onDisk.routes, { 'users.get': { target: 'legacy', shadow: { enabled: true } } })
  first.routeState.lastHit.hitRoute('users.get')
  await first.routeState.persist()
  await first.app.close()

  const second = await startAdmin(t, { ...services(), now: first.clock.now + 86_400_000 })
  const route = await adminFetch(second.url, '/admin/routes/users.get', { token: ADMIN_TOKEN })
  t.match(route.json.route, {
    target: 'legacy',
    shadow: { enabled: true },
    sources: { target: 'runtime', 'shadow.enabled': 'runtime', rolloutPercent: 'config' },
    lastHit: '2026-01-01T00:00:00.000Z'
  })
  t.equal(second.routeState.firstStartedAt, first.clock.now, 'first start time kept across restarts')
  const audit = await adminFetch(second.url, '/admin/audit', { token: ADMIN_TOKEN })
  t.equal(audit.json.entries.length, 1)
  t.match(audit.json.entries[0], { who: 'admin', reason: 'incident 42', after: { target: 'legacy' } })
})
