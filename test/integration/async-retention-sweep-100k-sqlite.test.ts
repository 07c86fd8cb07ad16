// Retention on the SQLite queue with 100,000 settled jobs past retention (test/helpers/retention-load.ts;
// written in bulk, checked against the API's own rows): the sweep deletes exactly those, in steps
// that never hold an intake for more than a few ms, and the file stops growing — the pages the
// sweep freed are reused by new jobs. The file lives on tmpfs (/dev/shm where there is one): fsync
// latency of a disk shared with other jobs would drown what is measured here, the event-loop time
// of a step.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { SqliteJobQueue } from '../../gateway/src/async/sqlite-job-queue.js'
import { checkBulkMatchesApi, sqliteBulkFill } from '../helpers/retention-bulk.js'
import { retentionUnderLoad } from '../helpers/retention-load.js'

t.test('100,000 settled jobs swept in small steps; intake latency barely moves; the file stays bounded', async t => {
  const dataDir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'gw-retention-'))
  const q = new SqliteJobQueue({ dataDir, maxQueuedJobs: 1_000_000 })
  t.teardown(async () => { await q.close(); rmSync(dataDir, { recursive: true, force: true }) })
  const fill = sqliteBulkFill(q)
  await checkBulkMatchesApi(t, q, fill, async id => {
    const row = q.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Record<string, unknown>
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? 'null' : typeof v]))
  })
  const report = await retentionUnderLoad(t, q, { fill })
  // New jobs reuse the freed pages: another 50,000 settled jobs leave the file where it was.
  await fill(q, 50_000, Date.now(), 500_000)
  const bytes = await q.storeBytes()
  t.ok(bytes <= report.bytesFull * 1.1, `file ${bytes} bytes after 50,000 more jobs <= 110% of its size with 101,000 (${report.bytesFull})`)
})
