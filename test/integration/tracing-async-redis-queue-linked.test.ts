// With REDIS_URL the async job lives in the Redis stream, and the intake's span context travels
// with it there too (the traceparent of its stored headers): the delivery still links to the intake.
import { redisTest } from '../helpers/redis-gate.js'
import { SHARED_REDIS_URL, testPrefix } from '../helpers/redis.js'
import { ASYNC_BILLINGS_ROUTE, only, parseTraceparent, startTracedWorld } from '../helpers/traced-world.js'

redisTest('Redis job queue: the delivery links to the intake that accepted the job', async t => {
  const w = await startTracedWorld(t, {
    env: { REDIS_URL: SHARED_REDIS_URL },
    routes: [ASYNC_BILLINGS_ROUTE],
    extra: { async: { pollMs: 50, workerConcurrency: 1 }, distributed: { keyPrefix: testPrefix(t) } }
  })
  t.equal(w.gw.stateMode, 'redis')
  const res = await fetch(`${w.gw.url}/api/billings`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'trace-redis-1' }, body: '{"ProjectId":3}' })
  t.equal(res.status, 202)
  const line = w.requestLines().find(l => l.route === 'billings.create')
  const all = await w.receiver.waitFor(spans => spans.some(s => s.name === 'async deliver billings.create') && spans.some(s => s.traceId === line?.traceId), 10_000)
  const intake = only(all.filter(s => s.traceId === line!.traceId), 'POST /api/billings')
  const delivery = only(all, 'async deliver billings.create')
  t.same(delivery.links.map(l => [l.traceId, l.spanId]), [[intake.traceId, intake.spanId]])
  t.equal(parseTraceparent(w.legacySeen[0]?.headers.traceparent)?.traceId, delivery.traceId, 'legacy continues the delivery trace')
})
