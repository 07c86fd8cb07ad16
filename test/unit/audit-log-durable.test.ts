// The audit log appends one JSON line per change, reads newest first with a limit, survives a
// restart, and tolerates a torn last line from a crash.
import t from 'tap'
import { appendFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createFileAuditLog, createMemoryAuditLog } from '../../gateway/src/ops/audit-log.js'
import { tempDir } from '../helpers/ops.js'

const input = (n: number): Parameters<ReturnType<typeof createMemoryAuditLog>['append']>[0] => ({
  who: 'alice', action: 'route.patch', routeId: 'users.get', before: { rolloutPercent: n - 1 }, after: { rolloutPercent: n }, reason: `step ${n}`
})

t.test('append writes complete entries as JSON lines', async t => {
  const path = join(tempDir(t), 'var', 'audit.jsonl')
  let id = 0
  const log = createFileAuditLog(path, { now: () => Date.parse('2026-03-01T10:00:00Z'), newId: () => `e${++id}` })
  const entry = await log.append(input(1))
  t.same(entry, {
    id: 'e1',
    time: '2026-03-01T10:00:00.000Z',
    who: 'alice',
    action: 'route.patch',
    routeId: 'users.get',
    before: { rolloutPercent: 0 },
    after: { rolloutPercent: 1 },
    reason: 'step 1'
  })
  t.same(readFileSync(path, 'utf8').split('\n'), [JSON.stringify(entry), ''])
})

t.test('newest first, limited, and still there for a new instance (restart)', async t => {
  const path = join(tempDir(t), 'audit.jsonl')
  const log = createFileAuditLog(path)
  await Promise.all([1, 2, 3, 4, 5].map(n => log.append(input(n))))
  const reopened = createFileAuditLog(path)
  const entries = await reopened.list({ limit: 3 })
  t.same(entries.map(e => e.reason), ['step 5', 'step 4', 'step 3'])
  t.equal((await reopened.list()).length, 5, 'default limit covers all five')
  t.same(await createFileAuditLog(join(tempDir(t), 'none.jsonl')).list(), [], 'no file yet: empty')
})

t.test('a torn last line is skipped, earlier entries still read', async t => {
  const path = join(tempDir(t), 'audit.jsonl')
  const log = createFileAuditLog(path)
  await log.append(input(1))
  appendFileSync(path, '{"id":"torn","time":"2026-')
  t.same((await log.list()).map(e => e.reason), ['step 1'])
})

t.test('write failures are typed; read failures other than a missing file surface', async t => {
  const dir = tempDir(t)
  const log = createFileAuditLog(dir) // a directory: cannot be opened for append
  await t.rejects(log.append(input(1)), { code: 'GW_ERR_AUDIT_WRITE', statusCode: 500 })
  await t.rejects(log.list(), { code: 'EISDIR' })
})

t.test('the in-memory log behaves the same way', async t => {
  const log = createMemoryAuditLog()
  for (const n of [1, 2, 3]) await log.append(input(n))
  t.same((await log.list({ limit: 2 })).map(e => e.reason), ['step 3', 'step 2'])
  t.equal(log.entries.length, 3)
  t.match(log.entries[0], { id: /^[0-9a-f-]{36}$/, time: /^\d{4}-/ })
})
