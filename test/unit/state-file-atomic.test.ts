// The state file is written atomically and durably, survives a restart, and a crash between
// write and rename (a leftover temp file) never affects what is loaded.
import t from 'tap'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createFileStateStore, STATE_FILE_NAME, writeFileAtomic } from '../../gateway/src/ops/state-file.js'
import type { PersistedState } from '../../gateway/src/ops/route-state.js'
import { tempDir } from '../helpers/ops.js'

const T0 = Date.parse('2026-03-01T10:00:00Z')
const state: PersistedState = {
  version: 1,
  firstStartedAt: T0,
  routes: { 'users.get': { target: 'legacy', rolloutPercent: 10, shadow: { enabled: true } } },
  lastHit: { routes: { 'users.get': T0 + 1000 }, functions: { 'Users-dev': T0 + 2000 } }
}

t.test('save then load in a new store on the same dir returns the same state', async t => {
  const dir = join(tempDir(t), 'nested', 'var')
  const first = createFileStateStore({ dir, now: () => T0 + 5000 })
  t.equal(await first.load(), undefined, 'no file yet: undefined, dir created')
  t.ok(existsSync(dir))
  await first.save(state)
  const second = createFileStateStore({ dir })
  t.same(await second.load(), state)
  const onDisk = JSON.parse(readFileSync(first.path, 'utf8'))
  t.same(onDisk, {
    version: 1,
    savedAt: '2026-03-01T10:00:05.000Z',
    firstStartedAt: '2026-03-01T10:00:00.000Z',
    routes: { 'users.get': { target: 'legacy', rolloutPercent: 10, shadow: { enabled: true } } },
    lastHit: { routes: { 'users.get': '2026-03-01T10:00:01.000Z' }, functions: { 'Users-dev': '2026-03-01T10:00:02.000Z' } }
  }, 'human-readable file with ISO times')
  t.equal(statSync(first.path).mode & 0o777, 0o600, 'only the gateway user can read it')
  t.same(readdirSync(dir), [STATE_FILE_NAME], 'no temp file left behind')
})

t.test('crash simulation: a leftover temp file is ignored and cleaned up', async t => {
  const dir = tempDir(t)
  const store = createFileStateStore({ dir })
  await store.save(state)
  // A crash after writing the temp file but before the rename: half a JSON document.
  writeFileSync(join(dir, `${STATE_FILE_NAME}.tmp-999-abc`), '{"version":1,"routes":{"users.get":{"tar')
  const restarted = createFileStateStore({ dir })
  t.same(await restarted.load(), state, 'the last complete state is loaded')
  t.same(readdirSync(dir), [STATE_FILE_NAME], 'the leftover temp file is removed')
})

t.test('concurrent saves are serialised: the last one wins, the file is always whole', async t => {
  const dir = tempDir(t)
  const store = createFileStateStore({ dir })
  const saves = [1, 2, 3, 4, 5].map(p => store.save({ ...state, routes: { 'users.get': { rolloutPercent: p } } }))
  await Promise.all(saves)
  t.same((await store.load())?.routes, { 'users.get': { rolloutPercent: 5 } })
})

t.test('change listeners hear every save; a failing save rejects with GW_ERR_STATE_WRITE', async t => {
  const dir = tempDir(t)
  const store = createFileStateStore({ dir })
  const heard: number[] = []
  const off = store.onChange(s => heard.push(s.firstStartedAt))
  store.onChange(() => { throw new Error('a buggy listener') })
  await store.save(state)
  off()
  await store.save(state)
  t.same(heard, [T0], 'heard once, then unsubscribed; the buggy listener broke nothing')
  const blocked = createFileStateStore({ dir: join(store.path, 'not-a-dir') })
  await t.rejects(blocked.save(state), { code: 'GW_ERR_STATE_WRITE', statusCode: 500 })
})

t.test('writeFileAtomic replaces the content in one step', async t => {
  const file = join(tempDir(t), 'x.json')
  await writeFileAtomic(file, 'one')
  await writeFileAtomic(file, 'two')
  t.equal(readFileSync(file, 'utf8'), 'two')
  await t.rejects(writeFileAtomic(join(tempDir(t), 'missing', 'x.json'), 'x'), { code: 'ENOENT' })
})
