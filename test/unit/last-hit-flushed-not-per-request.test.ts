// Last-hit times are recorded in memory on the hot path and flushed only when something changed,
// on a timer, never per request; a failed flush is retried.
import t from 'tap'
import { LastHitTracker } from '../../gateway/src/ops/last-hit.js'

t.test('hits update the maps; restore keeps the newer time', async t => {
  let now = 100
  const hits = new LastHitTracker({ now: () => now })
  hits.hitRoute('users.get')
  now = 200
  hits.hitFunction('Users-dev')
  hits.restore({ routes: { 'users.get': 50, old: 10 }, functions: { 'Users-dev': 300 } })
  t.same(hits.snapshot(), { routes: { 'users.get': 100, old: 10 }, functions: { 'Users-dev': 300 } })
})

t.test('flush persists only when dirty; 1000 hits cost one write', async t => {
  const hits = new LastHitTracker({ now: () => 1 })
  let writes = 0
  const persist = async (): Promise<void> => { writes++ }
  t.equal(await hits.flush(persist), false, 'nothing to flush')
  for (let i = 0; i < 1000; i++) hits.hitRoute('users.get')
  t.ok(hits.isDirty())
  t.equal(await hits.flush(persist), true)
  t.equal(await hits.flush(persist), false)
  t.equal(writes, 1)
})

t.test('a failed flush stays dirty and reports the error', async t => {
  const hits = new LastHitTracker()
  hits.hitRoute('r')
  const errors: unknown[] = []
  t.equal(await hits.flush(async () => { throw new Error('disk') }, e => errors.push(e)), false)
  t.ok(hits.isDirty(), 'retried on the next tick')
  t.equal(errors.length, 1)
  hits.markClean()
  t.notOk(hits.isDirty())
})

t.test('the timer flushes periodically and stops', async t => {
  const hits = new LastHitTracker()
  let writes = 0
  let resolveFirst!: () => void
  const first = new Promise<void>(resolve => { resolveFirst = resolve })
  hits.hitRoute('r')
  hits.startFlushing(async () => { writes++; resolveFirst() }, 5)
  t.teardown(() => hits.stopFlushing())
  // The flush timer is unref'd (it must never keep a gateway alive): hold the loop open meanwhile.
  const keepAlive = setTimeout(() => { resolveFirst() }, 5000)
  await first
  clearTimeout(keepAlive)
  hits.stopFlushing()
  const after = writes
  hits.hitRoute('r')
  await new Promise(resolve => setTimeout(resolve, 30))
  t.equal(writes, after, 'no flush after stop')
  t.equal(after, 1, 'flushed once while dirty')
})
