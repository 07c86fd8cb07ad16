// Tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT): no span, no exporter, nothing sent — and the
// gateway still passes an accepted client traceparent on (re-serialised), never a malformed one.
import t from 'tap'
import { CLIENT_PARENT, TRACE, startTracedWorld } from '../helpers/traced-world.js'

t.test('off: nothing exported; a client trace still continues upstream, a malformed one does not', async t => {
  const w = await startTracedWorld(t, { tracing: false })
  t.equal(w.gw.app.public.tracing.enabled, false)
  t.equal(w.gw.app.public.tracing.tracer, undefined, 'no tracer, no exporter')
  await fetch(`${w.gw.url}/api/budgets/1`)
  await fetch(`${w.gw.url}/api/budgets/2`, { headers: { traceparent: `01-${TRACE}-${CLIENT_PARENT}-01-future`, tracestate: 'c=1' } })
  await fetch(`${w.gw.url}/api/budgets/3`, { headers: { traceparent: `00-${TRACE}-${CLIENT_PARENT}-1` } })
  const event = await (await fetch(`${w.gw.url}/api/users/3`, { headers: { traceparent: `00-${TRACE}-${CLIENT_PARENT}-01` } })).json() as { headers: Record<string, string> }
  t.equal(w.legacySeen[0]?.headers.traceparent, undefined, 'none started')
  t.equal(w.legacySeen[1]?.headers.traceparent, `00-${TRACE}-${CLIENT_PARENT}-01`, 'passed on as version 00')
  t.equal(w.legacySeen[1]?.headers.tracestate, 'c=1')
  t.equal(w.legacySeen[2]?.headers.traceparent, undefined, 'a malformed one is dropped')
  t.equal(event.headers.traceparent, `00-${TRACE}-${CLIENT_PARENT}-01`, 'into the Lambda event as well')
  const line = w.requestLines().find(l => l.path === '/api/budgets/2')
  t.equal(line?.traceId, TRACE, 'the log line carries the continued trace id')
  t.equal(line?.spanId, undefined, 'but no span id: the gateway made no span')
  await new Promise(resolve => setTimeout(resolve, 200))
  t.equal(w.receiver.requests, 0, 'nothing was exported')
})
