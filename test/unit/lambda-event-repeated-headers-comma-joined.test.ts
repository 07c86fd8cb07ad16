// API Gateway (payload 2.0) joins a repeated request header with `,` — "Duplicate headers are
// combined with commas" (AWS, "Create AWS Lambda proxy integrations for HTTP APIs"), shown as
// `"header2": "value1,value2"`. Node's request.headers joins them with `, `, which the event used
// to pass on; the raw header lines tell a repeated header from one value that holds `, `.
import t from 'tap'
import { toHttpApiEvent } from '../../gateway/src/targets/lambda-event.js'
import type { LambdaRequestInput } from '../../gateway/src/targets/lambda-event.js'

function event (headers: LambdaRequestInput['headers'], rawHeaders?: string[]): ReturnType<typeof toHttpApiEvent> {
  const rest = { rawPath: '/p', rawQueryString: '', body: undefined, sourceIp: '127.0.0.1', routeKey: 'GET /p', pathParameters: {}, stage: 'dev', requestId: 'r', timeEpochMs: 0, domainName: 'localhost' }
  return toHttpApiEvent({ method: 'GET', headers, rawHeaders, ...rest })
}

t.test('two lines of one header: joined with "," (node gave "a, b")', async t => {
  const e = event({ accept: 'text/html, application/json', 'x-tag': 'a, b, c' },
    ['Accept', 'text/html', 'accept', 'application/json', 'X-Tag', 'a', 'X-Tag', 'b', 'x-tag', 'c'])
  t.equal(e.headers.accept, 'text/html,application/json')
  t.equal(e.headers['x-tag'], 'a,b,c', 'three lines, names in any case')
})

t.test('one line whose value holds ", " is kept as sent', async t => {
  const e = event({ accept: 'text/html, application/json' }, ['Accept', 'text/html, application/json'])
  t.equal(e.headers.accept, 'text/html, application/json')
})

t.test('a repeated line that itself holds ", " keeps its own spacing', async t => {
  const e = event({ 'x-list': 'a, b, c' }, ['x-list', 'a, b', 'x-list', 'c'])
  t.equal(e.headers['x-list'], 'a, b,c')
})

t.test('a value header hygiene rewrote, or node kept only the first line of, stays as given', async t => {
  const e = event(
    { 'x-forwarded-for': '198.51.100.1, 198.51.100.2, 127.0.0.1', 'content-type': 'text/plain' },
    ['X-Forwarded-For', '198.51.100.1', 'X-Forwarded-For', '198.51.100.2', 'Content-Type', 'text/plain', 'Content-Type', 'application/json'])
  t.equal(e.headers['x-forwarded-for'], '198.51.100.1, 198.51.100.2, 127.0.0.1', 'the trusted-proxy chain the gateway built')
  t.equal(e.headers['content-type'], 'text/plain', 'node keeps the first content-type; so does the event')
})

t.test('a header only hygiene added, or one the raw lines do not name, is unaffected', async t => {
  const e = event({ 'x-request-id': 'r-1', 'x-forwarded-proto': 'http', 'x-a': 'b' }, ['X-A', 'b'])
  t.strictSame(e.headers, { 'x-request-id': 'r-1', 'x-forwarded-proto': 'http', 'x-a': 'b' })
})

t.test('repeated cookie lines still become one cookies entry per pair', async t => {
  const e = event({ cookie: 'a=1; b=2; c=3' }, ['Cookie', 'a=1; b=2', 'Cookie', 'c=3'])
  t.strictSame(e.cookies, ['a=1', 'b=2', 'c=3'])
  t.notOk('cookie' in e.headers)
})

t.test('without raw lines (a caller that has none) the headers are taken as given', async t => {
  t.equal(event({ accept: 'text/html, application/json' }).headers.accept, 'text/html, application/json')
})
