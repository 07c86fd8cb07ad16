// Issue 4: a client that disconnects must not free its legacy permit while legacy still works on
// its request (legacy, like IIS, finishes a request whose caller has gone). The permit is held
// until the upstream call ended; clients that leave while queued leave the queue and are never
// sent. Real stub (more workers than the cap, so only the gateway can hold it at the cap) and the
// gateway as shipped (startGateway from a config file).
import t from 'tap'
import { Agent, request } from 'undici'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'
import { eventually, startWiredGateway, wiredConfig } from '../helpers/wired-gateway.js'

const CAP = 8
const LATENCY_MS = 200
// The first CAP calls stay in legacy this long, so every other client is queued at the gateway
// (opening 130 connections takes a while on a loaded box) before anyone hangs up.
const FIRST_LATENCY_MS = 3000
const QUEUED_ABORTERS = 120
const NORMAL = 16

interface Outcome { status?: number, aborted: boolean }

/** One GET; `leave` aborts it (the client hangs up). */
async function call (url: string, agent: Agent, leave?: AbortSignal): Promise<Outcome> {
  try {
    const res = await request(url, { dispatcher: agent, signal: leave })
    await res.body.dump()
    return { status: res.statusCode, aborted: false }
  } catch (err) {
    if ((err as Error).name !== 'AbortError' && (err as { code?: string }).code !== 'UND_ERR_ABORTED') throw err
    return { aborted: true }
  }
}

t.test(`clients aborting under a burst: legacy <= ${CAP} in flight, queued aborters never sent, no permit leak`, async t => {
  const stub = await startTestLegacyStub(t, { maxConcurrency: 64, latencyMs: FIRST_LATENCY_MS, queueLimit: 1000 })
  const gw = await startWiredGateway(t, {
    doc: wiredConfig({ legacyUrl: stub.url, legacy: { maxConcurrency: CAP, queue: { maxSize: 256, maxWaitMs: 10_000 } } })
  })
  const limiter = gw.app.public.protection.legacy.limiter
  const agent = new Agent({ connections: 256 })
  t.teardown(() => agent.close())
  const url = (i: number): string => `${gw.url}/api/Projects/${(i % 3) + 1}`

  // 1. CAP clients take every permit and reach legacy.
  const leaveFirst = new AbortController()
  const first = Array.from({ length: CAP }, (_, i) => call(url(i), agent, leaveFirst.signal))
  await eventually('the first clients in legacy', async () => (await stub.stats()).inflight === CAP)
  await stub.faults({ latencyMs: LATENCY_MS })

  // 2. Aborting clients mixed with normal ones queue behind them (every 9th is normal). Once the
  //    gateway holds them all, the first CAP hang up while legacy works, the aborters 20–50 ms later.
  const leave = Array.from({ length: QUEUED_ABORTERS }, () => new AbortController())
  const normal: Array<Promise<Outcome>> = []
  const queued: Array<Promise<Outcome>> = []
  for (let i = 0, a = 0; a < QUEUED_ABORTERS || normal.length < NORMAL; i++) {
    if (i % 9 === 8 && normal.length < NORMAL) normal.push(call(url(i), agent))
    else if (a < QUEUED_ABORTERS) queued.push(call(url(i), agent, (leave[a++] as AbortController).signal))
  }
  await eventually('every client queued at the gateway', () => limiter.queued === QUEUED_ABORTERS + NORMAL)
  leaveFirst.abort()
  leave.forEach((ac, i) => setTimeout(() => ac.abort(), 20 + (i % 31)))
  const early = await Promise.all([...first, ...queued])
  t.ok(early.every(o => o.aborted), 'every aborting client aborted before an answer')
  const served = await Promise.all(normal)
  t.same(served.map(o => o.status), Array(NORMAL).fill(200), 'every normal client gets 200')
  await eventually('the gateway idle', () => limiter.inflight === 0 && limiter.queued === 0)
  const stats = await stub.stats()
  t.comment(`legacy received ${stats.received} (${CAP} dispatched then aborted + ${NORMAL} normal expected), maxInflight ${stats.maxInflight} (cap ${CAP})`)
  t.ok(stats.maxInflight <= CAP, `legacy maxInflight ${stats.maxInflight} <= cap ${CAP}`)
  t.equal(stats.received, CAP + NORMAL, 'legacy received only the dispatched aborters and the normal clients: no queued aborter was sent')

  const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text()
  t.match(metrics, /gateway_upstream_inflight\{upstream="legacy"\} 0\n/, 'gateway_upstream_inflight back to 0')
  t.match(metrics, /gateway_breaker_state\{breaker="legacy"\} 0/, 'client aborts do not trip the breaker')

  // 4. No permit leaked: CAP requests at once all reach legacy together.
  await stub.reset()
  await stub.faults({ latencyMs: LATENCY_MS })
  const after = await Promise.all(Array.from({ length: CAP }, (_, i) => call(url(i), agent)))
  t.same(after.map(o => o.status), Array(CAP).fill(200), 'all answered')
  t.equal((await stub.stats()).maxInflight, CAP, `all ${CAP} permits free: ${CAP} in legacy at once`)
})

t.test('a POST whose client leaves mid-call: permit and gateway_upstream_inflight held until legacy answered', async t => {
  const stub = await startTestLegacyStub(t, { maxConcurrency: 64, latencyMs: 600, queueLimit: 1000 })
  const gw = await startWiredGateway(t, { doc: wiredConfig({ legacyUrl: stub.url, legacy: { maxConcurrency: 2 } }) })
  const limiter = gw.app.public.protection.legacy.limiter
  const gauge = async (): Promise<string | undefined> =>
    /gateway_upstream_inflight\{upstream="legacy"\} (\d+)/.exec(await (await fetch(`${gw.adminUrl}/metrics`)).text())?.[1]
  const agent = new Agent({ connections: 4 })
  t.teardown(() => agent.close())

  // A request body the gateway read to its end: the response path, not the aborted-request one.
  const leave = new AbortController()
  const posts = Array.from({ length: 2 }, () => request(`${gw.url}/api/Projects`, {
    dispatcher: agent, method: 'POST', signal: leave.signal, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Name: 'left' })
  }).then(() => 'answered', () => 'aborted'))
  await eventually('both calls in legacy', async () => (await stub.stats()).inflight === 2)
  leave.abort()
  t.same(await Promise.all(posts), ['aborted', 'aborted'], 'both clients hung up before an answer')
  await new Promise(resolve => setTimeout(resolve, 100))
  t.equal((await stub.stats()).inflight, 2, 'legacy still works on both')
  t.equal(limiter.inflight, 2, 'both permits still held')
  t.equal(await gauge(), '2', 'gateway_upstream_inflight still 2')

  await eventually('legacy done and the permits back', async () => (await stub.stats()).inflight === 0 && limiter.inflight === 0)
  t.equal(await gauge(), '0', 'gateway_upstream_inflight back to 0')
  t.equal((await stub.stats()).received, 2, 'legacy got each POST once')
})
