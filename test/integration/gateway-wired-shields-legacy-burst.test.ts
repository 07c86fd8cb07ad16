// The product as shipped wires the legacy shield: startGateway() from a config file with
// ARCHITECTURE.md's legacy settings (cap 8, queue 64 / 250 ms) in front of the real legacy stub.
// A 20× burst (400 concurrent requests) never puts more than 8 requests in flight at legacy,
// every client gets an answer (200, or 503/429 with Retry-After), and nobody waits much longer
// than queue.maxWaitMs plus the service time.
import t from 'tap'
import { request, Agent } from 'undici'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'
import { startWiredGateway, wiredConfig } from '../helpers/wired-gateway.js'

const CAP = 8
const BURST = 400
const MAX_WAIT_MS = 250
const SERVICE_MS = 20
// The test box has 2 shared cores (and the whole suite runs on them): 400 sockets opening at once
// cost real time of their own, so the margin is generous; a hang would still exceed it by far.
const MARGIN_MS = 5000

t.test(`a ${BURST}-request burst against cap ${CAP}: legacy <= ${CAP} in flight, all answered in bounded time`, async t => {
  // A stub with more workers than the cap, so only the gateway can be what holds it at 8.
  const stub = await startTestLegacyStub(t, { maxConcurrency: 64, latencyMs: SERVICE_MS, queueLimit: 1000 })
  const gw = await startWiredGateway(t, { doc: wiredConfig({ legacyUrl: stub.url }) })
  const agent = new Agent({ connections: BURST })
  t.teardown(() => agent.close())

  const results = await Promise.all(Array.from({ length: BURST }, async (_, i) => {
    const started = performance.now()
    const res = await request(`${gw.url}/api/Projects/${(i % 3) + 1}`, { dispatcher: agent })
    await res.body.dump()
    return { status: res.statusCode, retryAfter: res.headers['retry-after'], ms: performance.now() - started }
  }))

  const count = (s: number): number => results.filter(r => r.status === s).length
  const ok = count(200)
  const shed = results.filter(r => r.status === 503 || r.status === 429)
  const slowest = Math.max(...results.map(r => r.ms))
  const stats = await stub.stats()
  t.comment(`${BURST} requests: ${ok} ok, ${count(503)} shed 503, ${count(429)} rate limited; slowest ${Math.round(slowest)} ms; legacy maxInflight ${stats.maxInflight}`)

  t.ok(stats.maxInflight <= CAP, `legacy maxInflight ${stats.maxInflight} <= ${CAP}`)
  t.equal(ok + shed.length, BURST, 'every client answered 200 or 503/429')
  t.ok(ok >= CAP, 'the cap serves while it sheds')
  t.ok(shed.length > 0, 'a 20x burst is partly shed')
  t.ok(shed.every(r => Number(r.retryAfter) >= 1), 'every shed answer carries Retry-After')
  t.ok(slowest < MAX_WAIT_MS + SERVICE_MS + MARGIN_MS, `slowest ${Math.round(slowest)} ms < maxWaitMs + service + margin`)
  t.equal(stats.received, ok, 'legacy saw exactly the admitted requests')
  t.equal(gw.app.public.protection.legacy.limiter.inflight, 0, 'every permit released')

  const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text()
  t.match(metrics, /gateway_rejections_total\{route="default",reason="(concurrency|queue_timeout)"\} [1-9]/)
  t.match(metrics, /gateway_breaker_state\{breaker="legacy"\} 0/)
})
