// Tracing off (no server span on the request), the child-span helpers return NO_SPAN before they
// build a span's name or attributes: an origin URL that throws on any read proves the legacy
// call's attributes are never computed, and a granted permit's outcome is one shared object.
import t from 'tap'
import type { FastifyRequest } from 'fastify'
import { NO_SPAN } from '../../gateway/src/tracing/child-span.js'
import { permitOutcome, startLambdaInvoke, startLegacyCall, startPermitWait } from '../../gateway/src/tracing/upstream-spans.js'

const untraced = (serverSpan: null | undefined): FastifyRequest => ({ method: 'GET', serverSpan }) as unknown as FastifyRequest
const unreadableUrl = new Proxy({}, { get: () => { throw new Error('attributes were built for a span that is not started') } }) as URL

t.test('no server span: NO_SPAN, and nothing read to build attributes', async t => {
  for (const serverSpan of [null, undefined]) {
    const request = untraced(serverSpan)
    t.equal(startLegacyCall(request, unreadableUrl, '/api/budgets/1'), NO_SPAN, `legacy call, serverSpan ${String(serverSpan)}`)
    t.equal(startPermitWait(request, undefined), NO_SPAN, 'legacy permit wait')
    t.equal(startPermitWait(request, 'Users-DEV'), NO_SPAN, 'function permit wait')
    t.equal(startLambdaInvoke(request, 'Users-DEV', 'eu-central-1'), NO_SPAN, 'lambda invoke')
  }
})

t.test('a granted permit is one frozen object; a rejection names its reason', async t => {
  t.equal(permitOutcome(undefined), permitOutcome(undefined), 'same object each time')
  t.ok(Object.isFrozen(permitOutcome(undefined)))
  t.same(permitOutcome(undefined), { 'gateway.permit.outcome': 'granted' })
  t.same(permitOutcome('shed'), { 'gateway.permit.outcome': 'rejected', 'gateway.rejection.reason': 'shed' })
})
