// Every event shape toHttpApiEvent builds passes AWS Lambda Powertools' APIGatewayProxyEventV2Schema
// (what a function using @aws-lambda-powertools/parser checks at its boundary) and carries no field
// the schema does not know. The same check on events captured through the real gateway and local
// runtime: test/integration/lambda-event-real-gateway-powertools.test.ts.
import t from 'tap'
import { toHttpApiEvent } from '../../gateway/src/targets/lambda-event.js'
import type { LambdaRequestInput } from '../../gateway/src/targets/lambda-event.js'
import { powertoolsV2Problems } from '../helpers/powertools-v2.js'

const base: LambdaRequestInput = {
  method: 'GET',
  rawPath: '/api/users/1',
  rawQueryString: '',
  headers: { host: 'gw.example.com:8080', 'user-agent': 'curl/8', 'x-request-id': 'r-1' },
  body: undefined,
  sourceIp: '203.0.113.7',
  routeKey: 'GET /api/users/{id}',
  pathParameters: { id: '1' },
  stage: 'dev',
  requestId: 'r-1',
  timeEpochMs: Date.UTC(2026, 11, 4, 18, 0, 0),
  domainName: 'gw.example.com'
}
const post = (contentType: string | undefined, body: Buffer): LambdaRequestInput => ({
  ...base,
  method: 'POST',
  rawPath: '/api/projects',
  routeKey: 'POST /api/projects',
  pathParameters: {},
  headers: { ...base.headers, ...(contentType ? { 'content-type': contentType } : {}), 'content-length': String(body.length) },
  body
})

const shapes: Array<[string, LambdaRequestInput]> = [
  ['GET with a path parameter, no body', base],
  ['GET, no path parameters (omitted)', { ...base, rawPath: '/api/users', routeKey: 'GET /api/users', pathParameters: {} }],
  ['POST JSON body', post('application/json', Buffer.from('{"name":"Zoë"}'))],
  ['POST binary body (base64)', post('application/octet-stream', Buffer.from([0, 1, 2, 255]))],
  ['POST without content type (base64)', post(undefined, Buffer.from('x'))],
  ['POST text in latin-1 (base64, never transcoded)', post('text/plain; charset=iso-8859-1', Buffer.from([0xe9]))],
  ['repeated query keys, decoded values', { ...base, rawQueryString: 'a=1&a=2&q=caf%C3%A9&flag' }],
  ['cookies', { ...base, headers: { ...base.headers, cookie: 'a=1; b=2' } }],
  ['repeated headers (raw lines)', { ...base, headers: { ...base.headers, accept: 'a, b' }, rawHeaders: ['Accept', 'a', 'Accept', 'b'] }],
  ['{proxy+} route', { ...base, rawPath: '/files/a/b c', routeKey: 'GET /files/{proxy+}', pathParameters: { '*': 'a/b c' } }],
  ['{proxy+} route matching zero segments', { ...base, rawPath: '/files', routeKey: 'GET /files/{proxy+}', pathParameters: { '*': '' } }],
  ['IPv6 client', { ...base, sourceIp: '2001:db8::1' }],
  ['IPv6 loopback client', { ...base, sourceIp: '::1' }],
  ['IPv4-mapped client, as node reports it on a dual-stack socket', { ...base, sourceIp: '::ffff:192.0.2.1' }],
  ['no peer (socket gone)', { ...base, sourceIp: '' }],
  ['no host header', { ...base, headers: {}, domainName: '' }],
  ['HEAD', { ...base, method: 'head' }]
]

for (const [name, input] of shapes) {
  t.test(name, async t => {
    t.strictSame(powertoolsV2Problems(toHttpApiEvent(input)), [], 'valid, nothing outside the schema')
  })
}

t.test('the check can fail: a field API Gateway never sends, a missing one, a wrong type', async t => {
  const event = toHttpApiEvent(base)
  t.not(powertoolsV2Problems({ ...event, multiValueHeaders: {} }).length, 0, 'an unknown top-level field')
  t.not(powertoolsV2Problems({ ...event, requestContext: { ...event.requestContext, http: { ...event.requestContext.http, extra: 1 } } }).length, 0, 'an unknown nested field')
  const { isBase64Encoded: _, ...missing } = event
  t.not(powertoolsV2Problems(missing).length, 0, 'isBase64Encoded missing')
  t.not(powertoolsV2Problems({ ...event, headers: { a: ['x'] } }).length, 0, 'a list-valued header')
})

t.test('the greedy segment is named proxy, as {proxy+} in the route key says', async t => {
  t.strictSame(toHttpApiEvent({ ...base, routeKey: 'GET /files/{bucket}/{proxy+}', pathParameters: { bucket: 'b1', '*': 'a/b' } }).pathParameters, { bucket: 'b1', proxy: 'a/b' })
  t.strictSame(toHttpApiEvent({ ...base, pathParameters: { '*': '' } }).pathParameters, { proxy: '' })
})
