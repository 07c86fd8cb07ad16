// One async billing end to end: 202 + Location only after commit, the status endpoint follows
// the job to `delivered` with legacy's answer, legacy saw the job's Idempotency-Key, secrets
// were never stored, unknown ids are 404 and the job prefix is never forwarded to legacy.
import t from 'tap'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'
import { legacyBillings, postBilling, startAsyncGateway, waitFor } from '../helpers/async.js'

t.test('a billing is acknowledged with 202 and delivered once', async t => {
  const stub = await startTestLegacyStub(t, { maxConcurrency: 4, latencyMs: 1 })
  const gw = await startAsyncGateway(t, { legacyUrl: stub.url, dataDir: t.testdir() })

  const res = await postBilling(gw.url, 1, { authorization: 'Bearer s3cret', cookie: 'sid=1', 'x-api-key': 'k', 'x-trace': 'keep' })
  t.equal(res.status, 202)
  const id = res.json.jobId as string
  t.match(id, /^[A-Za-z0-9_-]{22}$/, '128-bit random id, base64url')
  t.equal(res.headers.get('location'), `/_gateway/jobs/${id}`)
  t.same(res.json, { jobId: id, state: 'queued', location: `/_gateway/jobs/${id}` })

  let job: any
  await waitFor('delivered', async () => {
    job = await (await fetch(`${gw.url}/_gateway/jobs/${id}`)).json()
    return job.state === 'delivered'
  })
  t.equal(job.attempts, 1)
  t.equal(job.result.status, 201)
  t.equal(JSON.parse(job.result.body).Description, 'async-1')
  t.equal(job.result.headers.location, '/api/Billings/1')

  const billings = await legacyBillings(stub.url)
  t.equal(billings.length, 1)
  t.equal(billings[0]!.IdempotencyKey, id, 'legacy got the job id as Idempotency-Key')

  const stored = (await gw.jobs.queue.get(id))!
  t.equal(stored.headers.authorization, undefined)
  t.equal(stored.headers.cookie, undefined)
  t.equal(stored.headers['x-api-key'], undefined)
  t.equal(stored.headers['x-trace'], 'keep')
})

t.test('unknown job ids are 404 and the prefix never reaches legacy', async t => {
  const stub = await startTestLegacyStub(t, { maxConcurrency: 4, latencyMs: 1 })
  const gw = await startAsyncGateway(t, { legacyUrl: stub.url, dataDir: t.testdir() })
  const before = (await stub.stats()).received
  for (const path of ['/_gateway/jobs/AAAAAAAAAAAAAAAAAAAAAA', '/_gateway/jobs/', '/_Gateway/Jobs/x/y']) {
    const res = await fetch(gw.url + path)
    t.equal(res.status, 404, path)
    t.equal(((await res.json()) as { code: string }).code, 'GW_ERR_ASYNC_JOB_NOT_FOUND')
  }
  const post = await fetch(`${gw.url}/_gateway/jobs/x`, { method: 'POST', body: '{}' })
  t.equal(post.status, 404)
  t.equal((await stub.stats()).received, before, 'nothing under the prefix was forwarded')
})
