// Done-when 1: a burst of 50x the cap through the legacy shield. The stub gets a big thread pool
// of its own (32 workers) so that its maxInflight measures OUR cap, not its own.
import t from 'tap'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { Agent, request } from 'undici'
import { Protection } from '../../gateway/src/protection/protection.js'
import { isProtectionRejection } from '../../gateway/src/protection/rejection.js'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

const CAP = 8
const MAX_WAIT_MS = 250
const LATENCY_MS = 20
const BURST = 400

t.test('400 concurrent calls, cap 8: legacy never sees more than 8, every call settles in time, memory stays flat', async t => {
  const stub = await startTestLegacyStub(t, { maxConcurrency: 32, latencyMs: LATENCY_MS, queueLimit: 16 })
  const agent = new Agent({ connections: 32 })
  t.teardown(() => agent.close())
  let maxQueued = 0
  const reasons = new Map<string, number>()
  const protection = new Protection({
    maxConcurrency: CAP,
    queue: { maxSize: 64, maxWaitMs: MAX_WAIT_MS },
    rateLimit: { perSecond: 1_000_000, burst: 1_000_000 }
  }, {
    hooks: {
      onReject: (_route, reason) => reasons.set(reason, (reasons.get(reason) ?? 0) + 1),
      onInflight: () => { maxQueued = Math.max(maxQueued, protection.legacy.limiter.queued) }
    }
  })
  t.teardown(() => protection.close())

  const call = async () => {
    const started = performance.now()
    try {
      const status = await protection.legacy.run({ routeId: 'users.list', method: 'GET' }, async (signal) => {
        const res = await request(`${stub.url}/api/Users`, { dispatcher: agent, signal })
        await res.body.text()
        return res.statusCode
      })
      return { ok: status === 200, ms: performance.now() - started, retryAfter: 0 }
    } catch (err) {
      if (!isProtectionRejection(err)) throw err
      return { ok: false, ms: performance.now() - started, retryAfter: err.retryAfterSeconds, status: err.statusCode }
    }
  }

  const burst = () => Promise.all(Array.from({ length: BURST }, call))
  await burst() // warm-up: JIT, connections
  gc()
  const heapBefore = process.memoryUsage().heapUsed
  await stub.app.inject({ method: 'POST', url: '/__stats/reset' })
  protection.legacy.limiter.resetMaxInflightSeen()

  const rounds = []
  for (let i = 0; i < 3; i++) rounds.push(await burst())
  gc()
  const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6

  const stats = await stub.stats()
  const all = rounds.flat()
  const ok = all.filter(r => r.ok)
  const rejected = all.filter(r => !r.ok)
  const slowest = Math.max(...all.map(r => r.ms))
  t.comment(`3 x ${BURST}: ${ok.length} ok, ${rejected.length} shed ${JSON.stringify(Object.fromEntries(reasons))}; ` +
    `legacy maxInflight ${stats.maxInflight}, slowest ${slowest.toFixed(0)} ms, heap +${heapGrowthMb.toFixed(1)} MB, maxQueued ${maxQueued}`)

  t.ok(stats.maxInflight <= CAP, `legacy maxInflight ${stats.maxInflight} <= ${CAP}`)
  t.equal(stats.maxQueued, 0, 'legacy never had to queue')
  t.equal(protection.legacy.limiter.maxInflightSeen, CAP, 'the cap was actually reached')
  t.equal(all.length, 3 * BURST, 'every call settled')
  t.ok(ok.length >= 3 * CAP * 2, `a useful share served (${ok.length}): more than two waves of ${CAP} per burst`)
  t.ok(rejected.every(r => r.status === 503 && r.retryAfter >= 1), 'every rejection is a 503 with Retry-After')
  t.ok(slowest < MAX_WAIT_MS + 1500, `slowest ${slowest.toFixed(0)} ms < maxWaitMs + service time + generous CPU margin`)
  t.ok(maxQueued <= 64, 'queue never above maxSize')
  t.equal(protection.legacy.limiter.inflight, 0)
  t.equal(protection.legacy.limiter.queued, 0)
  t.ok(heapGrowthMb < 15, `heap growth ${heapGrowthMb.toFixed(1)} MB stays bounded`)
})
