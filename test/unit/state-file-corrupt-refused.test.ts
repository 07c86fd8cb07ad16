// A corrupt or schema-invalid state file is reported (GW_ERR_STATE_CORRUPT with path and
// reason), the gateway refuses to start on it, and the file is left untouched for the operator.
import t from 'tap'
import type { Test } from 'tap'
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createMemoryAuditLog } from '../../gateway/src/ops/audit-log.js'
import { RouteStateService } from '../../gateway/src/ops/route-state-service.js'
import { createFileStateStore, parseStateFile, STATE_FILE_NAME } from '../../gateway/src/ops/state-file.js'
import { OPS_ROUTES, tempDir } from '../helpers/ops.js'

const valid = {
  version: 1,
  savedAt: '2026-03-01T10:00:00.000Z',
  firstStartedAt: '2026-03-01T10:00:00.000Z',
  routes: {},
  lastHit: { routes: {}, functions: {} }
}

async function loadText (t: Test, text: string): Promise<{ err: unknown, path: string }> {
  const dir = tempDir(t)
  writeFileSync(join(dir, STATE_FILE_NAME), text)
  const store = createFileStateStore({ dir })
  const svc = new RouteStateService({ store, audit: createMemoryAuditLog(), routes: OPS_ROUTES })
  const err = await svc.init().then(() => undefined, (e: unknown) => e)
  t.equal(readFileSync(store.path, 'utf8'), text, 'the corrupt file is left exactly as it was')
  return { err, path: store.path }
}

t.test('truncated JSON', async t => {
  const { err, path } = await loadText(t, '{"version":1,"routes":{')
  t.match(err, { code: 'GW_ERR_STATE_CORRUPT', statusCode: 500 })
  t.match((err as Error).message, `state file ${path} is corrupt: not JSON`)
})

t.test('valid JSON, invalid schema: the reason names the field', async t => {
  const bad = { ...valid, routes: { 'users.get': { target: 'azure', rolloutPercent: 150 } } }
  const { err } = await loadText(t, JSON.stringify(bad))
  t.match(err, { code: 'GW_ERR_STATE_CORRUPT' })
  t.match((err as Error).message, /schema: \/routes\/users\.get\/(target|rolloutPercent)/)
})

t.test('unknown field and wrong version are refused too', async t => {
  const { err: a } = await loadText(t, JSON.stringify({ ...valid, extra: true }))
  t.match(a, { code: 'GW_ERR_STATE_CORRUPT' })
  const { err: b } = await loadText(t, JSON.stringify({ ...valid, version: 2 }))
  t.match((b as Error).message, /\/version/)
})

t.test('a timestamp that passes the pattern but is no date', async t => {
  t.throws(() => parseStateFile('/x', JSON.stringify({ ...valid, firstStartedAt: '2026-99-99T99:99:99Z' })),
    { code: 'GW_ERR_STATE_CORRUPT', message: /bad timestamp/ })
})

t.test('an unreadable path (a directory where the file should be) is reported the same way', async t => {
  const dir = tempDir(t)
  mkdirSync(join(dir, STATE_FILE_NAME))
  await t.rejects(createFileStateStore({ dir }).load(), { code: 'GW_ERR_STATE_CORRUPT', message: /unreadable/ })
})
