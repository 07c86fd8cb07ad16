// Where the async intake sits in the shield (startGateway, shipped wiring): it holds no legacy
// permit and ignores the legacy breaker — a write is accepted while live traffic fills legacy's
// cap or the breaker is open — but it IS charged to its caller's bucket (legacy.clientRateLimit):
// one client over its limit gets 429 + Retry-After on intake and job status, others are accepted.
import t from 'tap'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'
import { admin, startWiredGateway } from '../helpers/wired-gateway.js'
import { asyncWiredDoc } from '../helpers/async-wired.js'
import { billingBody } from '../helpers/async.js'

const post = (url: string, client: string, i: number): Promise<Response> => fetch(`${url}/api/billings`, {
  method: 'POST', headers: { 'content-type': 'application/json', 'x-client-id': client }, body: billingBody(i)
})

function wiredDoc (legacyUrl: string): Record<string, unknown> {
  return asyncWiredDoc({
    legacyUrl,
    legacy: {
      maxConcurrency: 1,
      queue: { maxSize: 1, maxWaitMs: 100 },
      clientRateLimit: { perSecond: 0.1, burst: 4, key: 'header:x-client-id' }
    },
    async: { workerConcurrency: 1 }
  })
}

t.test('legacy cap full: async writes are still accepted at once; sync traffic is shed', async t => {
  const stub = await startTestLegacyStub(t, { maxConcurrency: 1, latencyMs: 1500 })
  const gw = await startWiredGateway(t, { doc: wiredDoc(stub.url) })
  let heldDone = 0
  const held = fetch(`${gw.url}/api/projects/1`, { headers: { 'x-client-id': 'live' } }).then(r => { heldDone = performance.now(); return r.status })
  await new Promise(resolve => setTimeout(resolve, 200)) // the live GET holds the one permit now
  const shed = await fetch(`${gw.url}/api/projects/2`, { headers: { 'x-client-id': 'live-2' } })
  t.equal(shed.status, 503, 'a second synchronous request finds the cap full and is shed')

  const t0 = performance.now()
  const res = await post(gw.url, 'writer', 1)
  const acked = performance.now()
  t.equal(res.status, 202, 'the async write is accepted while the cap is full')
  t.equal(heldDone, 0, 'and answered before the live request holding the cap finished')
  t.comment(`202 in ${(acked - t0).toFixed(1)} ms while legacy's only permit was held`)
  t.equal(await held, 200)
})

t.test('legacy breaker open: async writes accepted, sync ones fail fast', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 1 })
  const gw = await startWiredGateway(t, { doc: wiredDoc(stub.url) })
  t.equal((await admin(gw, '/admin/breakers/legacy/open', { method: 'POST', body: { reason: 'test' } })).status, 200)
  const sync = await fetch(`${gw.url}/api/projects/1`, { headers: { 'x-client-id': 'live' } })
  t.equal(sync.status, 503)
  t.match(await sync.json(), { code: 'GW_ERR_BREAKER_OPEN' })
  const res = await post(gw.url, 'writer', 1)
  t.equal(res.status, 202, 'accepted: the job waits for legacy to recover')
})

t.test('the caller\'s own rate limit applies to intake and job status', async t => {
  const stub = await startTestLegacyStub(t, { latencyMs: 1 })
  const gw = await startWiredGateway(t, { doc: wiredDoc(stub.url) })
  const statuses: number[] = []
  let location = ''
  for (let i = 0; i < 4; i++) {
    const res = await post(gw.url, 'greedy', i)
    statuses.push(res.status)
    location = res.headers.get('location') ?? location
  }
  t.same(statuses, [202, 202, 202, 202], 'within the burst of 4')
  const over = await post(gw.url, 'greedy', 99)
  t.equal(over.status, 429)
  t.ok(Number(over.headers.get('retry-after')) >= 1, 'with Retry-After')
  t.match(await over.json(), { code: 'GW_ERR_RATE_LIMITED', status: 429 })
  const poll = await fetch(gw.url + location, { headers: { 'x-client-id': 'greedy' } })
  t.equal(poll.status, 429, 'polling job status is charged to the same bucket')
  const other = await post(gw.url, 'modest', 1)
  t.equal(other.status, 202, 'another client is unaffected')
  const mine = await fetch(gw.url + location, { headers: { 'x-client-id': 'modest' } })
  t.equal(mine.status, 200, 'the job is readable by a caller with budget left')

  const queued = await admin(gw, '/admin/jobs')
  t.equal(queued.json.counts.queued + queued.json.counts.delivering + queued.json.counts.delivered, 5, 'the refused write was never stored')
})
