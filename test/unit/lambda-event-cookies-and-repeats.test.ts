// Cookies move from the cookie header to `cookies` (one entry per pair) and leave `headers`;
// duplicate headers and repeated query keys are joined with commas (format 2.0 has no multiValue
// fields); header names are lower-cased.
import t from 'tap'
import { parseQueryString, toHttpApiEvent } from '../../gateway/src/targets/lambda-event.js'
import type { LambdaRequestInput } from '../../gateway/src/targets/lambda-event.js'

function event (over: Partial<LambdaRequestInput>): ReturnType<typeof toHttpApiEvent> {
  return toHttpApiEvent({
    method: 'GET',
    rawPath: '/p',
    rawQueryString: '',
    headers: {},
    body: undefined,
    sourceIp: '127.0.0.1',
    routeKey: 'GET /p',
    pathParameters: {},
    stage: 'dev',
    requestId: 'r',
    timeEpochMs: 0,
    domainName: 'localhost',
    ...over
  })
}

t.test('cookies: split on "; ", removed from headers', async t => {
  const e = event({ headers: { cookie: 'a=1; b=2;c=3', accept: '*/*' } })
  t.strictSame(e.cookies, ['a=1', 'b=2', 'c=3'])
  t.notOk('cookie' in e.headers, 'the cookie header is not in headers')
  t.strictSame(e.headers, { accept: '*/*' })
})

t.test('cookies: several cookie headers (array) and empty pieces', async t => {
  const e = event({ headers: { Cookie: ['a=1; b=2', 'c=3; '] } })
  t.strictSame(e.cookies, ['a=1', 'b=2', 'c=3'])
  t.notOk('cookie' in e.headers)
})

t.test('cookies: an empty cookie header gives no cookies field', async t => {
  t.notOk('cookies' in event({ headers: { cookie: '' } }))
})

t.test('repeated query keys are joined with commas: ?a=1&a=2 → a: "1,2"', async t => {
  const e = event({ rawQueryString: 'a=1&a=2&b=x' })
  t.strictSame(e.queryStringParameters, { a: '1,2', b: 'x' })
  t.equal(e.rawQueryString, 'a=1&a=2&b=x', 'rawQueryString kept as sent')
})

t.test('query decoding: %-escapes, +, keys without value, malformed escapes', async t => {
  t.strictSame(parseQueryString('q=caf%C3%A9&sp=a+b&flag&e='), { q: 'café', sp: 'a b', flag: '', e: '' })
  t.strictSame(parseQueryString('bad=%E0%A4%A'), { bad: '%E0%A4%A' }, 'a malformed escape is kept as written')
  t.strictSame(parseQueryString('a%3Db=c'), { 'a=b': 'c' }, 'an encoded = belongs to the key')
  t.equal(parseQueryString(''), undefined)
  t.equal(parseQueryString('&&'), undefined)
  t.strictSame(parseQueryString('__proto__=x'), { ['__proto__']: 'x' }, 'no prototype pollution')
  t.equal(Object.getPrototypeOf(parseQueryString('__proto__=x')), Object.prototype)
})

t.test('duplicate headers are joined with commas; names lower-cased', async t => {
  const e = event({ headers: { 'X-Forwarded-For': ['198.51.100.1', '198.51.100.2'], Accept: 'text/html', accept: 'application/json' } })
  t.equal(e.headers['x-forwarded-for'], '198.51.100.1,198.51.100.2')
  t.equal(e.headers.accept, 'text/html,application/json', 'same name in two spellings is one header')
  t.notOk('X-Forwarded-For' in e.headers)
})

t.test('undefined header values are skipped', async t => {
  t.strictSame(event({ headers: { a: undefined, b: 'x' } }).headers, { b: 'x' })
})
