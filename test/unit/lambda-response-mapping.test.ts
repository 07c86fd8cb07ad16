// fromLambdaResult applies the payload format 2.0 response rules: a result with statusCode uses
// statusCode/headers/cookies/body/isBase64Encoded (format 1.0's multiValueHeaders is ignored, as
// API Gateway ignores it for 2.0); any other valid JSON is a 200
// application/json response whose body is the result (a bare string as its value).
import t from 'tap'
import { fromLambdaResult } from '../../gateway/src/targets/lambda-response.js'

const json = (v: unknown): string => JSON.stringify(v)

t.test('statusCode, headers and a text body', async t => {
  const r = fromLambdaResult(json({ statusCode: 201, headers: { 'Content-Type': 'application/json', 'X-Count': 3, 'X-Flag': true }, body: '{"id":1}' }))
  t.equal(r.statusCode, 201)
  t.strictSame(r.headers, { 'content-type': 'application/json', 'x-count': '3', 'x-flag': 'true' }, 'lower-cased names, scalar values as strings')
  t.equal(r.body.toString('utf8'), '{"id":1}')
})

t.test('payload as bytes (what the SDK returns)', async t => {
  const r = fromLambdaResult(new TextEncoder().encode(json({ statusCode: 204 })))
  t.equal(r.statusCode, 204)
  t.strictSame(r.headers, {})
  t.equal(r.body.length, 0, 'no body → empty')
})

t.test('utf-8 body', async t => {
  const r = fromLambdaResult(json({ statusCode: 200, body: 'Grüße 🚀' }))
  t.equal(r.body.toString('utf8'), 'Grüße 🚀')
  t.equal(r.body.length, Buffer.byteLength('Grüße 🚀'))
})

t.test('isBase64Encoded: the body is decoded to bytes', async t => {
  const bytes = Buffer.from([0, 1, 2, 250, 251, 252, 253, 254, 255])
  const r = fromLambdaResult(json({ statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body: bytes.toString('base64'), isBase64Encoded: true }))
  t.same(r.body, bytes)
  const wrapped = fromLambdaResult(json({ statusCode: 200, body: 'aGVs\nbG8=', isBase64Encoded: true }))
  t.equal(wrapped.body.toString('utf8'), 'hello', 'line-wrapped base64 is accepted')
  const notEncoded = fromLambdaResult(json({ statusCode: 200, body: 'aGVsbG8=', isBase64Encoded: false }))
  t.equal(notEncoded.body.toString('utf8'), 'aGVsbG8=', 'isBase64Encoded false: the body is text')
})

t.test('cookies become set-cookie headers, one per cookie', async t => {
  const r = fromLambdaResult(json({ statusCode: 200, cookies: ['a=1; Path=/; HttpOnly', 'b=2; Secure'], headers: { 'set-cookie': 'c=3' } }))
  t.strictSame(r.headers['set-cookie'], ['c=3', 'a=1; Path=/; HttpOnly', 'b=2; Secure'])
  const single = fromLambdaResult(json({ statusCode: 200, cookies: ['only=1'] }))
  t.strictSame(single.headers['set-cookie'], ['only=1'], 'set-cookie is always an array')
})

t.test('multiValueHeaders is ignored (a format 1.0 field), and reported as ignored', async t => {
  const r = fromLambdaResult(json({
    statusCode: 200,
    headers: { vary: 'accept', 'x-one': 'h' },
    multiValueHeaders: { Vary: ['origin', 'accept-encoding'], 'x-single': ['1'], link: ['<a>', '<b>'], 'set-cookie': ['m=1'] }
  }))
  t.strictSame(r.headers, { vary: 'accept', 'x-one': 'h' }, 'only headers count; no multi-value header, no cookie from it')
  t.strictSame(r.ignored, ['multiValueHeaders'])
  const plain = fromLambdaResult(json({ statusCode: 200, headers: { a: '1' } }))
  t.notOk('ignored' in plain, 'nothing ignored: no ignored field')
  t.notOk('ignored' in fromLambdaResult(json({ statusCode: 200, multiValueHeaders: null })), 'null counts as absent')
})

t.test('hop-by-hop headers, the ones named in connection, and content-length are dropped', async t => {
  const r = fromLambdaResult(json({
    statusCode: 200,
    headers: {
      Connection: 'close, X-Secret-Hop',
      'keep-alive': 'timeout=5',
      'transfer-encoding': 'chunked',
      upgrade: 'websocket',
      'proxy-authenticate': 'Basic',
      te: 'trailers',
      trailer: 'x',
      'x-secret-hop': 'y',
      'content-length': '999',
      'x-kept': 'yes'
    },
    body: 'hi'
  }))
  t.strictSame(r.headers, { 'x-kept': 'yes' })
  t.equal(r.body.toString(), 'hi')
})

t.test('a header named __proto__ is an own property, not a prototype', async t => {
  const r = fromLambdaResult('{"statusCode":200,"headers":{"__proto__":"x"}}')
  t.equal(Object.getPrototypeOf(r.headers), Object.prototype)
  t.ok(Object.hasOwn(r.headers, '__proto__'))
})

t.test('no statusCode: 200 application/json with the result as body', async t => {
  const cases: Array<[string, string]> = [
    ['"Hello from Lambda!"', 'Hello from Lambda!'], // a bare string: its value
    ['42', '42'],
    ['[1,2,3]', '[1,2,3]'],
    ['{ "message": "Hello from Lambda!" }', '{ "message": "Hello from Lambda!" }'], // as sent
    ['true', 'true'],
    ['null', 'null'],
    ['{"status":200,"body":"not a proxy response"}', '{"status":200,"body":"not a proxy response"}']
  ]
  for (const [payload, body] of cases) {
    const r = fromLambdaResult(payload)
    t.equal(r.statusCode, 200, `${payload}: 200`)
    t.strictSame(r.headers, { 'content-type': 'application/json' })
    t.equal(r.body.toString('utf8'), body, `${payload}: body`)
  }
})
