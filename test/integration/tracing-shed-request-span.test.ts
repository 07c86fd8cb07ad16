// A request the legacy cap sheds is one trace too: the server span says why (503, rejection
// reason), the permit wait ends rejected, and no legacy call span exists.
import t from 'tap'
import { only, startTracedWorld } from '../helpers/traced-world.js'

t.test('shed at the legacy cap: server span with the reason, permit rejected, no call', async t => {
  const w = await startTracedWorld(t, { legacy: { maxConcurrency: 1, queue: { maxSize: 0, maxWaitMs: 250 } }, legacyDelayMs: 300 })
  const first = fetch(`${w.gw.url}/api/budgets/1`)
  while (w.legacySeen.length === 0) await new Promise(resolve => setTimeout(resolve, 5))
  const shed = await fetch(`${w.gw.url}/api/budgets/2`)
  t.equal(shed.status, 503)
  t.equal((await first).status, 200)
  const line = w.requestLines().find(l => l.status === 503)
  t.ok(line?.traceId, 'the shed request\'s log line names its trace')
  const spans = await w.traceOf(line!.traceId as string, 2)
  const server = only(spans, 'GET /api/budgets/:projectId')
  t.match(server.attributes, { 'http.response.status_code': 503, 'gateway.rejection.reason': 'concurrency', 'error.type': '503' })
  t.equal(server.status.code, 2, 'an error span')
  const permit = only(spans, 'permit legacy')
  t.match(permit.attributes, { 'gateway.permit.outcome': 'rejected', 'gateway.rejection.reason': 'concurrency' })
  t.equal(permit.parentSpanId, server.spanId)
  await w.receiver.waitFor(all => all.some(s => s.name === 'GET' && s.kind === 'CLIENT'))
  t.equal(spans.filter(s => s.kind === 'CLIENT').length, 0, 'the shed request never called legacy')
  t.comment(`trace ${server.traceId}\n${w.receiver.format(server.traceId, ['gateway.rejection.reason', 'http.response.status_code', 'gateway.permit.outcome'])}`)
})
