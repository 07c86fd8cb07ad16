// Regression from the property fuzzer (test/fuzz/property-lambda-event.test.ts): an event built
// without a peer address (the socket already gone: sourceIp '') failed Powertools'
// APIGatewayProxyEventV2Schema, which requires an IPv4/IPv6 sourceIp as API Gateway always sends.
import t from 'tap'
import { APIGatewayProxyEventV2Schema } from '@aws-lambda-powertools/parser/schemas'
import { toHttpApiEvent } from '../../gateway/src/targets/lambda-event.js'
import type { LambdaRequestInput } from '../../gateway/src/targets/lambda-event.js'

const input = (sourceIp: string): LambdaRequestInput => ({ method: 'GET', rawPath: '/', rawQueryString: '', headers: {}, body: undefined, sourceIp, routeKey: 'GET /', pathParameters: {}, stage: 'dev', requestId: 'r', timeEpochMs: 0, domainName: 'gw.test' })

t.test('no peer address: sourceIp is 0.0.0.0 and the event validates', async t => {
  const event = toHttpApiEvent(input(''))
  t.equal(event.requestContext.http.sourceIp, '0.0.0.0')
  t.ok(APIGatewayProxyEventV2Schema.safeParse(event).success)
})

t.test('a real peer address is kept', async t => {
  t.equal(toHttpApiEvent(input('203.0.113.7')).requestContext.http.sourceIp, '203.0.113.7')
  t.equal(toHttpApiEvent(input('2001:db8::1')).requestContext.http.sourceIp, '2001:db8::1')
})
