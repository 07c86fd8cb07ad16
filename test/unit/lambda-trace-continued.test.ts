// The functions continue the invocation's trace: the event's traceparent first, else the X-Ray
// header Lambda sets as _X_AMZN_TRACE_ID; forward-billing passes it on to the gateway unchanged.
import { createServer } from 'node:http'
import type { IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { fromXrayHeader, traceHeaders, traceOf } from '../../lambdas/shared/trace-context.js'
import { readConfig } from '../../lambdas/forward-billing/config.js'
import { createForwardBillingHandler } from '../../lambdas/forward-billing/handler.js'
import { loadEvent } from '../helpers/lambda-events.js'

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736'
const PARENT = '00f067aa0ba902b7'
const XRAY = 'Root=1-674f1a2b-0123456789abcdef01234567;Parent=1111111111111111;Sampled=1'

t.test('the event\'s traceparent wins; the X-Ray header is the fallback', async t => {
  t.same(traceOf({ traceparent: `00-${TRACE}-${PARENT}-01`, tracestate: 'v=1' }, { _X_AMZN_TRACE_ID: XRAY }), { traceId: TRACE, parentId: PARENT, sampled: true, tracestate: 'v=1' })
  t.same(traceOf({}, { _X_AMZN_TRACE_ID: XRAY }), { traceId: '674f1a2b0123456789abcdef01234567', parentId: '1111111111111111', sampled: true })
  t.same(traceOf({ traceparent: 'garbage' }, { _X_AMZN_TRACE_ID: XRAY })?.traceId, '674f1a2b0123456789abcdef01234567', 'a malformed traceparent is ignored')
  t.equal(traceOf(undefined, {}), undefined)
  t.equal(traceOf({ traceparent: `00-${'0'.repeat(32)}-${PARENT}-01` }, {}), undefined)
  t.equal(traceOf({ traceparent: `00-${TRACE}-${PARENT}-01-more` }, {}), undefined, 'version 00 has exactly four fields')
})

t.test('X-Ray headers without a Parent, or malformed, continue nothing', async t => {
  t.equal(fromXrayHeader('Root=1-674f1a2b-0123456789abcdef01234567;Sampled=1'), undefined)
  t.equal(fromXrayHeader('Root=2-674f1a2b-0123456789abcdef01234567;Parent=1111111111111111'), undefined)
  t.same(fromXrayHeader('Sampled=0; Parent=1111111111111111; Root=1-674f1a2b-0123456789abcdef01234567')?.sampled, false)
})

t.test('passed on unchanged: the function records no span of its own', async t => {
  t.same(traceHeaders({ traceId: TRACE, parentId: PARENT, sampled: false }), { traceparent: `00-${TRACE}-${PARENT}-00` })
  t.same(traceHeaders(undefined), {})
})

t.test('forward-billing sends the trace to the gateway', async t => {
  const seen: IncomingHttpHeaders[] = []
  const server = createServer((req, res) => {
    seen.push(req.headers)
    req.resume()
    req.on('end', () => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ Id: 1, ProjectId: 3, Amount: 1, Currency: 'EUR', Description: 'x', BilledOn: '2026-11-27', UserId: null, IdempotencyKey: 'k', CreatedAt: '2026-11-28T07:00:01.000Z' })))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) }))
  const handler = createForwardBillingHandler(readConfig({ GATEWAY_BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }))
  const event = loadEvent('forward-billing-create') as { headers: Record<string, string> }
  event.headers = { ...event.headers, traceparent: `00-${TRACE}-${PARENT}-01` }
  const res = await handler(event)
  t.equal(res.statusCode, 201)
  t.equal(seen[0]?.traceparent, `00-${TRACE}-${PARENT}-01`)
  await handler(loadEvent('forward-billing-create'))
  t.equal(seen[1]?.traceparent, undefined, 'no trace, no header')
})
