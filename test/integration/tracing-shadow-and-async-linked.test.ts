// Work a request causes but does not wait for gets traces of its own, linked to it: the shadow
// call after the client's answer (linked to the request's server span), and every delivery of
// an async job (linked to the intake that accepted it, whose context is stored with the job).
import t from 'tap'
import { ASYNC_BILLINGS_ROUTE, only, parseTraceparent, startTracedWorld } from '../helpers/traced-world.js'

t.test('a shadowed request: the live trace, and the shadow invoke in a linked trace of its own', async t => {
  const w = await startTracedWorld(t, {
    routes: [{
      id: 'users.get',
      methods: ['GET'],
      path: '/api/users/:id',
      target: 'legacy',
      lambda: { function: 'Echo-TEST', timeoutMs: 3000, maxConcurrency: 10 },
      shadow: { enabled: true }
    }]
  })
  const res = await fetch(`${w.gw.url}/api/users/3`)
  t.equal(res.status, 200)
  const live = parseTraceparent(w.legacySeen[0]?.headers.traceparent)!
  const liveSpans = await w.traceOf(live.traceId, 3)
  const server = only(liveSpans, 'GET /api/users/:id')
  t.same(liveSpans.map(s => s.name).sort(), ['GET', 'GET /api/users/:id', 'permit legacy'], 'the live trace holds the client\'s request only')
  const all = await w.receiver.waitFor(spans => spans.some(s => s.name === 'shadow Lambda.Invoke Echo-TEST'))
  const shadow = only(all, 'shadow Lambda.Invoke Echo-TEST')
  t.not(shadow.traceId, server.traceId, 'a trace of its own')
  t.equal(shadow.parentSpanId, undefined)
  t.same(shadow.links.map(l => [l.traceId, l.spanId]), [[server.traceId, server.spanId]], 'linked to the request it shadows')
  t.match(shadow.attributes, { 'faas.invoked_name': 'Echo-TEST', 'gateway.route.id': 'users.get', 'gateway.shadow.side': 'lambda' })
  t.comment(`live trace ${server.traceId}\n${w.receiver.format(server.traceId, ['gateway.target'])}\nshadow trace ${shadow.traceId}\n${w.receiver.format(shadow.traceId, ['gateway.shadow.side', 'gateway.shadow.result'])}`)
})

t.test('an async job: the intake trace, and its delivery linked to the intake', async t => {
  const w = await startTracedWorld(t, {
    routes: [ASYNC_BILLINGS_ROUTE],
    extra: { async: { pollMs: 50, workerConcurrency: 1 } }
  })
  const res = await fetch(`${w.gw.url}/api/billings`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'trace-job-1' }, body: '{"ProjectId":3}' })
  t.equal(res.status, 202)
  const line = w.requestLines().find(l => l.route === 'billings.create')
  const all = await w.receiver.waitFor(spans => spans.some(s => s.name === 'async deliver billings.create') && spans.some(s => s.traceId === line?.traceId))
  const intake = only(all.filter(s => s.traceId === line!.traceId), 'POST /api/billings')
  t.match(intake.attributes, { 'http.response.status_code': 202, 'gateway.route.id': 'billings.create' })
  const delivery = only(all, 'async deliver billings.create')
  t.equal(delivery.kind, 'CONSUMER')
  t.not(delivery.traceId, intake.traceId, 'the delivery has a trace of its own')
  t.same(delivery.links.map(l => [l.traceId, l.spanId]), [[intake.traceId, intake.spanId]], 'linked to the intake that accepted the job')
  t.match(delivery.attributes, { 'gateway.route.id': 'billings.create', 'gateway.job.attempt': 1, 'gateway.job.outcome': 'delivered' })
  const call = only(all.filter(s => s.traceId === delivery.traceId), 'POST')
  t.equal(call.parentSpanId, delivery.spanId)
  t.match(call.attributes, { 'http.response.status_code': 201 })
  const sent = parseTraceparent(w.legacySeen[0]?.headers.traceparent)
  t.equal(sent?.spanId, call.spanId, 'legacy continues the delivery\'s call span, not the intake')
  t.comment(`intake trace ${intake.traceId}\n${w.receiver.format(intake.traceId, ['http.response.status_code'])}\ndelivery trace ${delivery.traceId}\n${w.receiver.format(delivery.traceId, ['gateway.job.attempt', 'gateway.job.outcome', 'http.response.status_code'])}`)
})
