// toHttpApiEvent produces every payload 2.0 field as AWS documents it: the whole event is compared
// with a golden fixture (test/fixtures/lambda-target/event-get-user.json), then the optional and
// defaulted fields one by one.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { formatRequestTime, toHttpApiEvent } from '../../gateway/src/targets/lambda-event.js'
import type { LambdaRequestInput } from '../../gateway/src/targets/lambda-event.js'

const golden: unknown = JSON.parse(readFileSync(new URL('../fixtures/lambda-target/event-get-user.json', import.meta.url), 'utf8'))

function input (over: Partial<LambdaRequestInput> = {}): LambdaRequestInput {
  return {
    method: 'GET',
    rawPath: '/api/users/42',
    rawQueryString: 'expand=projects&expand=budget&q=a%20b',
    headers: {
      accept: 'application/json',
      host: 'gateway.example.com',
      'user-agent': 'curl/8.5.0',
      'x-request-id': 'req-1',
      cookie: 'session=abc; theme=dark'
    },
    body: undefined,
    sourceIp: '192.0.2.10',
    routeKey: 'GET /api/users/{id}',
    pathParameters: { id: '42' },
    stage: 'dev',
    requestId: 'req-1',
    timeEpochMs: 1772701447123,
    domainName: 'gateway.example.com',
    ...over
  }
}

t.test('a GET maps to the documented 2.0 event, field for field', async t => {
  t.strictSame(toHttpApiEvent(input()), golden)
})

t.test('optional fields are omitted when empty', async t => {
  const event = toHttpApiEvent(input({ rawQueryString: '', pathParameters: {}, headers: { host: 'h' } }))
  t.notOk('queryStringParameters' in event, 'no queryStringParameters')
  t.notOk('pathParameters' in event, 'no pathParameters')
  t.notOk('cookies' in event, 'no cookies')
  t.notOk('body' in event, 'no body')
  t.equal(event.isBase64Encoded, false)
  t.equal(event.rawQueryString, '')
  t.equal(event.requestContext.http.userAgent, '', 'no user-agent header → empty string')
})

t.test('explicit context values win over defaults', async t => {
  const event = toHttpApiEvent(input({
    method: 'post', accountId: '210987654321', apiId: 'abc123', userAgent: 'explicit/1', protocol: 'HTTP/2.0'
  }))
  t.equal(event.requestContext.http.method, 'POST', 'method upper-cased')
  t.equal(event.requestContext.accountId, '210987654321')
  t.equal(event.requestContext.apiId, 'abc123')
  t.equal(event.requestContext.http.userAgent, 'explicit/1')
  t.equal(event.requestContext.http.protocol, 'HTTP/2.0')
})

t.test('a leading ? on rawQueryString is dropped', async t => {
  const event = toHttpApiEvent(input({ rawQueryString: '?x=1' }))
  t.equal(event.rawQueryString, 'x=1')
  t.strictSame(event.queryStringParameters, { x: '1' })
})

t.test('the time field is dd/MMM/yyyy:HH:mm:ss +0000 in UTC', async t => {
  t.equal(formatRequestTime(Date.UTC(2020, 2, 12, 19, 3, 58)), '12/Mar/2020:19:03:58 +0000')
  t.equal(formatRequestTime(Date.UTC(2026, 0, 1, 0, 0, 0)), '01/Jan/2026:00:00:00 +0000')
  t.equal(formatRequestTime(Date.UTC(1999, 11, 31, 23, 59, 59, 999)), '31/Dec/1999:23:59:59 +0000')
})

t.test('the domain prefix is the first label of the domain name', async t => {
  t.equal(toHttpApiEvent(input({ domainName: 'localhost' })).requestContext.domainPrefix, 'localhost')
  t.equal(toHttpApiEvent(input({ domainName: 'api.example.com' })).requestContext.domainPrefix, 'api')
})

t.test('pathParameters are copied, not shared', async t => {
  const params = { id: '7' }
  const event = toHttpApiEvent(input({ pathParameters: params }))
  params.id = '8'
  t.strictSame(event.pathParameters, { id: '7' })
})
