// The product path: startGateway() from a config file with an async billing route. A POST is
// answered 202 + Location before legacy sees it, the job is readable at that Location on the
// public port until it is delivered, legacy holds the billing exactly once (with the job id as
// Idempotency-Key), and the admin side shows the job (/admin/jobs) and the queue metrics.
import t from 'tap'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'
import { admin, eventually, startWiredGateway } from '../helpers/wired-gateway.js'
import { BILLINGS_ROUTE, asyncWiredDoc, getJob, metricValue } from '../helpers/async-wired.js'
import { billingBody, legacyBillings } from '../helpers/async.js'

t.test('POST → 202 + Location, GET the job until delivered, legacy holds it once', async t => {
  const stub = await startTestLegacyStub(t, { maxConcurrency: 4, latencyMs: 5 })
  const gw = await startWiredGateway(t, { doc: asyncWiredDoc({ legacyUrl: stub.url }) })
  t.ok(gw.app.asyncJobs, 'the shell opened the job queue')
  t.equal(gw.app.asyncJobs?.settings.dataDir, `${gw.stateDir}/async`, 'jobs.db lives under the state dir')

  const res = await fetch(`${gw.url}/api/billings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: billingBody(1) })
  t.equal(res.status, 202)
  const body = await res.json() as { jobId: string, state: string, location: string }
  const location = res.headers.get('location') ?? ''
  t.match(location, /^\/_gateway\/jobs\/[A-Za-z0-9_-]{20,}$/)
  t.same(body, { jobId: location.split('/').pop(), state: 'queued', location })
  t.equal(res.headers.get('x-gateway-route'), BILLINGS_ROUTE)
  t.equal(res.headers.get('x-gateway-target'), 'legacy')

  let last = await getJob(gw.url, location)
  await eventually('job delivered', async () => {
    last = await getJob(gw.url, location)
    return last.job.state === 'delivered'
  }, 10_000)
  t.equal(last.status, 200)
  t.match(last.job, { id: body.jobId, route: BILLINGS_ROUTE, state: 'delivered', method: 'POST', path: '/api/billings', attempts: 1 })
  t.equal(last.job.result?.status, 201, 'legacy created it')
  t.match(JSON.parse(last.job.result?.body ?? '{}'), { Description: 'async-1', IdempotencyKey: body.jobId })

  const billings = await legacyBillings(stub.url)
  t.equal(billings.filter(b => b.Description === 'async-1').length, 1, 'legacy holds the billing exactly once')
  t.equal((await stub.stats()).billings, 1)

  const unknown = await fetch(`${gw.url}/_gateway/jobs/nope`)
  t.equal(unknown.status, 404)
  t.match(await unknown.json(), { code: 'GW_ERR_ASYNC_JOB_NOT_FOUND' })

  const list = await admin(gw, '/admin/jobs?state=delivered')
  t.equal(list.status, 200)
  t.match(list.json, { counts: { delivered: 1, queued: 0, dead: 0 }, jobs: [{ id: body.jobId, state: 'delivered' }] })

  const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text()
  t.equal(metricValue(metrics, 'gateway_async_jobs', { state: 'delivered' }), 1)
  t.equal(metricValue(metrics, 'gateway_async_jobs', { state: 'queued' }), 0)
  t.equal(metricValue(metrics, 'gateway_async_deliveries_total', { route: BILLINGS_ROUTE, outcome: 'delivered' }), 1)
})

t.test('a GET on the async route and other routes stay synchronous', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 1 })
  const gw = await startWiredGateway(t, { doc: asyncWiredDoc({ legacyUrl: stub.url }) })
  const res = await fetch(`${gw.url}/api/projects/1`)
  t.equal(res.status, 200, 'a synchronous route is proxied as before')
  t.match(await res.json(), { Id: 1 })
  const list = await fetch(`${gw.url}/api/billings`)
  t.equal(list.headers.get('x-gateway-route'), 'default', 'GET /api/billings is not the async route: proxied')
  t.not(list.status, 202)
})
