// The forward-billing Lambda against the real wired gateway (startGateway, async billings route)
// and the real legacy stub: the function answers 202 with the gateway job's absolute Location, the
// job is delivered with the function's Idempotency-Key, and a retried invocation of the same
// request is coalesced by the gateway into the same job — legacy holds the billing once.
import t from 'tap'
import { readConfig } from '../../lambdas/forward-billing/config.js'
import { createForwardBillingHandler } from '../../lambdas/forward-billing/handler.js'
import { jsonOf, loadEvent } from '../helpers/lambda-events.js'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'
import { eventually, startWiredGateway } from '../helpers/wired-gateway.js'
import { asyncWiredDoc } from '../helpers/async-wired.js'
import { legacyBillings } from '../helpers/async.js'

t.test('forward-billing → gateway 202 → delivered once, a retried invocation gets the same job', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 5 })
  const gw = await startWiredGateway(t, { doc: asyncWiredDoc({ legacyUrl: stub.url }) })
  const handler = createForwardBillingHandler(readConfig({ GATEWAY_BASE_URL: gw.url }))

  const res = await handler(loadEvent('forward-billing-create'))
  t.equal(res.statusCode, 202)
  const body = jsonOf(res) as { jobId: string, state: string, location: string }
  t.match(body, { state: 'queued' })
  t.equal(body.location, `${gw.url}/_gateway/jobs/${body.jobId}`)
  t.equal(res.headers.location, body.location)
  const key = res.headers['idempotency-key']
  t.match(key, /^fb-[0-9a-f]{40}$/)

  const retried = await handler(loadEvent('forward-billing-create'))
  t.equal(retried.statusCode, 202)
  t.equal((jsonOf(retried) as { jobId: string }).jobId, body.jobId, 'the same request again is the same job')
  t.equal(retried.headers['idempotent-replayed'], 'true')

  let job: { state: string, result: { status: number, body: string } | null } = { state: '', result: null }
  await eventually('delivered', async () => {
    job = await (await fetch(body.location)).json() as typeof job
    return job.state === 'delivered'
  }, 10_000)
  t.equal(job.result?.status, 201)
  const billings = (await legacyBillings(stub.url)).filter(b => b.Description === 'November consulting')
  t.equal(billings.length, 1, 'legacy holds the billing once')
  t.equal(billings[0]?.IdempotencyKey, key, 'with the function\'s key, not the job id')
})
