// `npm start`'s stack (scripts/start-stack.ts) with the shipped config: POST /api/billings is the
// async route — 202 + Location at once, the job delivered to the stub by the worker the shell
// started, the queue under GATEWAY_STATE_DIR/async, its metrics on the admin port — and a clean
// stop leaves the job on disk for the next start of the same stack.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { request } from 'undici'
import { startStack } from '../../scripts/start-stack.js'
import { stackEnv } from '../helpers/stack-env.js'

const TOKEN = 'e2e-admin-token-0123456789'

t.test('the shipped stack accepts billings asynchronously and delivers them', async (t) => {
  const stateDir = t.testdir()
  const env = stackEnv(stateDir, TOKEN)
  const stack = await startStack(env)
  t.teardown(() => stack.stop())
  const gw = stack.gateway.url
  t.ok(existsSync(join(stateDir, 'async', 'jobs.db')), 'the job queue lives under the state dir')

  const res = await request(`${gw}/api/billings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': 'e2e-billing-0001' },
    body: JSON.stringify({ ProjectId: 1, Amount: 99.5, Currency: 'EUR', Description: 'e2e async billing', BilledOn: '2026-11-27' })
  })
  t.equal(res.statusCode, 202)
  t.equal(res.headers['x-gateway-route'], 'billings.create')
  const accepted = await res.body.json() as { jobId: string, location: string }
  t.equal(res.headers.location, accepted.location)

  let job: { state: string, result: { status: number } | null } = { state: '', result: null }
  const deadline = Date.now() + 15_000
  while (job.state !== 'delivered' && Date.now() < deadline) {
    job = await (await request(gw + accepted.location)).body.json() as typeof job
    if (job.state !== 'delivered') await new Promise(resolve => setTimeout(resolve, 50))
  }
  t.equal(job.state, 'delivered')
  t.equal(job.result?.status, 201, 'the stub created it')
  const billings = await (await request(`${stack.legacyUrl}/api/Billings`)).body.json() as Array<{ Description: string, IdempotencyKey: string | null }>
  t.same(billings.filter(b => b.Description === 'e2e async billing').map(b => b.IdempotencyKey), ['e2e-billing-0001'], 'once, with the client\'s key')

  const metrics = await (await request(`${stack.gateway.adminUrl}/metrics`)).body.text()
  t.match(metrics, /gateway_async_jobs\{state="delivered"\} 1/)
  t.match(metrics, /gateway_async_deliveries_total\{route="billings.create",outcome="delivered"\} 1/)
  await stack.stop()

  // The same stack again on the same state dir: the job (and its key) are still known.
  const again = await startStack(env)
  t.teardown(() => again.stop())
  const replay = await request(`${again.gateway.url}/api/billings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': 'e2e-billing-0001' },
    body: JSON.stringify({ ProjectId: 1, Amount: 99.5, Currency: 'EUR', Description: 'e2e async billing', BilledOn: '2026-11-27' })
  })
  t.equal(replay.statusCode, 202)
  t.equal(replay.headers['idempotent-replayed'], 'true', 'the restarted gateway answers the stored job')
  t.match(await replay.body.json(), { jobId: accepted.jobId, state: 'delivered' })
})
