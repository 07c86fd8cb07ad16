// The same client Idempotency-Key returns the existing job instead of enqueueing twice, also
// when the duplicates arrive concurrently; legacy receives the client's key. The same key with
// another body is 422; another caller (other credentials) using the same key gets its own job.
import t from 'tap'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'
import { billingBody, legacyBillings, postBilling, startAsyncGateway, waitFor } from '../helpers/async.js'

t.test('concurrent duplicates of one key → one job, one billing', async t => {
  const stub = await startTestLegacyStub(t, { maxConcurrency: 4, latencyMs: 1 })
  const gw = await startAsyncGateway(t, { legacyUrl: stub.url, dataDir: t.testdir() })
  const key = 'client-key-0001'
  const results = await Promise.all(Array.from({ length: 20 }, () => postBilling(gw.url, 7, { 'idempotency-key': key, authorization: 'Bearer a' })))
  t.same(results.map(r => r.status), Array(20).fill(202))
  const ids = new Set(results.map(r => r.json.jobId as string))
  t.equal(ids.size, 1, 'one job id for all 20')
  const [id] = [...ids]
  t.same(new Set(results.map(r => r.headers.get('location'))), new Set([`/_gateway/jobs/${id!}`]))
  t.equal(results.filter(r => r.headers.get('idempotent-replayed') === 'true').length, 19)

  await waitFor('delivered', async () => (await gw.jobs.queue.get(id!))?.state === 'delivered')
  const later = await postBilling(gw.url, 7, { 'idempotency-key': key, authorization: 'Bearer a' })
  t.equal(later.json.jobId, id, 'a late duplicate still answers the same job')
  t.equal(later.json.state, 'delivered')
  const billings = await legacyBillings(stub.url)
  t.equal(billings.length, 1)
  t.equal(billings[0]!.IdempotencyKey, key, "legacy got the client's key")
})

t.test('same key, other body → 422; other credentials → own job', async t => {
  const stub = await startTestLegacyStub(t, { maxConcurrency: 4, latencyMs: 1 })
  const gw = await startAsyncGateway(t, { legacyUrl: stub.url, dataDir: t.testdir(), startWorker: false })
  const first = await postBilling(gw.url, 1, { 'idempotency-key': 'k-1', authorization: 'Bearer a' })
  const mismatch = await fetch(`${gw.url}/api/billings`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'k-1', authorization: 'Bearer a' }, body: billingBody(2)
  })
  t.equal(mismatch.status, 422)
  t.equal(((await mismatch.json()) as { code: string }).code, 'GW_ERR_ASYNC_IDEMPOTENCY_MISMATCH')
  const other = await postBilling(gw.url, 1, { 'idempotency-key': 'k-1', authorization: 'Bearer b' })
  t.equal(other.status, 202)
  t.not(other.json.jobId, first.json.jobId, "another caller never gets (or learns of) someone else's job")
  const bad = await postBilling(gw.url, 1, { 'idempotency-key': 'bad key with spaces' })
  t.equal(bad.status, 400)
  t.equal((await gw.jobs.queue.counts()).queued, 2)
})
