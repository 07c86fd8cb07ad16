// The 202 is a promise: when the job cannot be stored — the queue is at async.maxQueuedJobs or
// SQLite cannot commit (a full disk, simulated with max_page_count: SQLITE_FULL) — the client
// gets 503 + Retry-After and no job exists; nothing is ever acknowledged and then lost.
import t from 'tap'
import { SqliteJobQueue } from '../../gateway/src/async/sqlite-job-queue.js'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'
import { postBilling, startAsyncGateway } from '../helpers/async.js'
import type { AsyncGateway } from '../helpers/async.js'

/** The embedded SQLite queue's connection (the helper's default store). */
function sqliteDb (gw: AsyncGateway): SqliteJobQueue['db'] {
  if (!(gw.jobs.queue instanceof SqliteJobQueue)) throw new Error('expected the SQLite queue')
  return gw.jobs.queue.db
}

t.test('queue limit → 503 + Retry-After, nothing stored', async t => {
  const stub = await startTestLegacyStub(t, { maxConcurrency: 4, latencyMs: 1 })
  const gw = await startAsyncGateway(t, { legacyUrl: stub.url, dataDir: t.testdir(), settings: { maxQueuedJobs: 5 }, startWorker: false })
  const results = await Promise.all(Array.from({ length: 8 }, (_, i) => postBilling(gw.url, i)))
  const accepted = results.filter(r => r.status === 202)
  const refused = results.filter(r => r.status === 503)
  t.equal(accepted.length, 5, 'up to the limit accepted')
  t.equal(refused.length, 3, 'the rest refused')
  for (const r of refused) {
    t.equal(r.headers.get('retry-after'), '5')
    t.equal(r.headers.get('content-type'), 'application/problem+json')
    t.match(r.json, { status: 503, code: 'GW_ERR_ASYNC_QUEUE_FULL' })
  }
  t.equal((await gw.jobs.queue.counts()).queued, 5, 'exactly the acknowledged jobs exist')
  gw.jobs.start()
})

t.test('SQLITE_FULL on commit → 503, no job, and the queue recovers', async t => {
  const stub = await startTestLegacyStub(t, { maxConcurrency: 4, latencyMs: 1 })
  const gw = await startAsyncGateway(t, { legacyUrl: stub.url, dataDir: t.testdir(), startWorker: false })
  const db = sqliteDb(gw)
  const pages = db.pragma('page_count', { simple: true }) as number
  db.pragma(`max_page_count = ${pages}`) // the file cannot grow: the next insert needing a page fails
  const big = 'x'.repeat(64 * 1024)
  const res = await fetch(`${gw.url}/api/billings`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ProjectId: 1, Description: big })
  })
  const body = await res.json() as { code: string, detail: string }
  t.equal(res.status, 503)
  t.equal(res.headers.get('retry-after'), '5')
  t.equal(body.code, 'GW_ERR_ASYNC_QUEUE_WRITE')
  t.match(body.detail, /SQLITE_FULL/)
  t.same((await gw.jobs.queue.counts()), { queued: 0, delivering: 0, delivered: 0, failed: 0, dead: 0 }, 'nothing stored')

  db.pragma('max_page_count = 1073741823')
  const ok = await postBilling(gw.url, 1)
  t.equal(ok.status, 202, 'accepts again once the disk has room')
})

t.test('a closed database → 503, nothing acknowledged', async t => {
  const stub = await startTestLegacyStub(t, { maxConcurrency: 4, latencyMs: 1 })
  const gw = await startAsyncGateway(t, { legacyUrl: stub.url, dataDir: t.testdir(), startWorker: false })
  sqliteDb(gw).close()
  const res = await postBilling(gw.url, 1)
  t.equal(res.status, 503)
  t.equal(res.json.code, 'GW_ERR_ASYNC_QUEUE_WRITE')
  t.equal((await stub.stats()).received, 0, 'nothing reached legacy either')
})
