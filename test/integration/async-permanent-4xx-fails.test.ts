// A permanent 4xx from legacy (a billing for a project that does not exist: 400) ends the job
// as `failed` with legacy's answer after ONE attempt — never retried; a 5xx is retried.
import t from 'tap'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'
import { billingBody, startAsyncGateway, waitFor } from '../helpers/async.js'

t.test('permanent 4xx → failed after one attempt, not retried', async t => {
  const stub = await startTestLegacyStub(t, { maxConcurrency: 4, latencyMs: 1 })
  const gw = await startAsyncGateway(t, { legacyUrl: stub.url, dataDir: t.testdir() })
  const res = await fetch(`${gw.url}/api/billings`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: billingBody(1, { ProjectId: 999999 })
  })
  t.equal(res.status, 202)
  const { jobId } = await res.json() as { jobId: string }
  await waitFor('failed', async () => (await gw.jobs.queue.get(jobId))?.state === 'failed')
  const received = (await stub.stats()).received
  await new Promise(resolve => setTimeout(resolve, 300))
  t.equal((await stub.stats()).received, received, 'no further attempt')
  const view = await (await fetch(`${gw.url}/_gateway/jobs/${jobId}`)).json() as any
  t.equal(view.state, 'failed')
  t.equal(view.attempts, 1)
  t.equal(view.result.status, 400)
  t.match(JSON.parse(view.result.body), { errors: { ProjectId: [/does not exist/] } }, "legacy's ProblemDetails kept")
})

t.test('5xx is retried with backoff until it succeeds', async t => {
  const stub = await startTestLegacyStub(t, { maxConcurrency: 4, latencyMs: 1, random: () => 0 })
  const gw = await startAsyncGateway(t, {
    legacyUrl: stub.url, dataDir: t.testdir(), legacy: { breaker: { volumeThreshold: 1000 } }
  })
  await stub.faults({ errorRate: 1 })
  const res = await fetch(`${gw.url}/api/billings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: billingBody(2) })
  const { jobId } = await res.json() as { jobId: string }
  await waitFor('two failed attempts', async () => ((await gw.jobs.queue.get(jobId))?.attempts ?? 0) >= 2)
  t.equal((await gw.jobs.queue.get(jobId))?.state !== 'failed', true, 'a 5xx is not permanent')
  await stub.faults({ errorRate: 0 })
  await waitFor('delivered', async () => (await gw.jobs.queue.get(jobId))?.state === 'delivered')
  t.equal((await stub.stats()).billings, 1)
})

t.test('transient failures past maxAttempts → dead', async t => {
  const stub = await startTestLegacyStub(t, { maxConcurrency: 4, latencyMs: 1, random: () => 0 })
  const gw = await startAsyncGateway(t, {
    legacyUrl: stub.url, dataDir: t.testdir(), route: { maxAttempts: 3 }, legacy: { breaker: { volumeThreshold: 1000 } }
  })
  await stub.faults({ errorRate: 1 })
  const res = await fetch(`${gw.url}/api/billings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: billingBody(3) })
  const { jobId } = await res.json() as { jobId: string }
  await waitFor('dead', async () => (await gw.jobs.queue.get(jobId))?.state === 'dead')
  const job = (await gw.jobs.queue.get(jobId))!
  t.equal(job.attempts, 3)
  t.match(job.lastError, /3 attempts failed, last: legacy answered 500/)
})
