// Everything a function controls ends up in our HTTP response, so it is validated: header
// injection (CR/LF/NUL in names or values, also via cookies), invalid status
// codes, non-string bodies, bad base64 and invalid JSON throw LambdaBadResponseError (502) with
// the reason kept on the error for logs.
import t from 'tap'
import type { Test } from 'tap'
import { fromLambdaResult } from '../../gateway/src/targets/lambda-response.js'
import { LambdaBadResponseError } from '../../gateway/src/errors.js'

function rejects (t: Test, payload: unknown, reason: RegExp, name: string): void {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload)
  try {
    fromLambdaResult(text, 'Users-DEV')
    t.fail(`${name}: expected LambdaBadResponseError`)
  } catch (err) {
    const e = err as Error & { code: string, statusCode: number, reason: string }
    t.ok(e instanceof LambdaBadResponseError, `${name}: LambdaBadResponseError`)
    t.equal(e.statusCode, 502)
    t.equal(e.message, 'function Users-DEV returned a response the gateway cannot map')
    t.match(e.reason, reason, `${name}: reason`)
    t.equal((e.cause as Error).message, e.reason, 'cause carries the reason')
  }
}

t.test('header injection attempts', async t => {
  rejects(t, { statusCode: 200, headers: { 'x-a': 'ok\r\nSet-Cookie: evil=1' } }, /forbidden characters/, 'CRLF in a value')
  rejects(t, { statusCode: 200, headers: { 'x-a': 'ok\nx: y' } }, /forbidden characters/, 'LF in a value')
  rejects(t, { statusCode: 200, headers: { 'x-a': 'ok\u0000' } }, /forbidden characters/, 'NUL in a value')
  rejects(t, { statusCode: 200, headers: { 'x-a': 'snow ☃' } }, /forbidden characters/, 'a char node cannot send')
  rejects(t, { statusCode: 200, headers: { 'x-a\r\nx-b': 'v' } }, /not a valid token/, 'CRLF in a name')
  rejects(t, { statusCode: 200, headers: { 'bad name': 'v' } }, /not a valid token/, 'space in a name')
  rejects(t, { statusCode: 200, headers: { '': 'v' } }, /not a valid token/, 'empty name')
  rejects(t, { statusCode: 200, cookies: ['a=1\r\nLocation: http://evil'] }, /forbidden characters/, 'CRLF in a cookie')
})

t.test('invalid status codes', async t => {
  for (const statusCode of [0, 99, 100, 199, 600, 1000, 200.5, -1, '200', null, true]) {
    rejects(t, { statusCode }, /statusCode .* is not an integer in 200\.\.599/, `statusCode ${JSON.stringify(statusCode)}`)
  }
})

t.test('malformed fields', async t => {
  rejects(t, { statusCode: 200, body: { a: 1 } }, /body must be a string/, 'object body')
  rejects(t, { statusCode: 200, body: 42 }, /body must be a string/, 'number body')
  rejects(t, { statusCode: 200, body: '***', isBase64Encoded: true }, /not valid base64/, 'bad base64')
  rejects(t, { statusCode: 200, body: 'aGVsbG8', isBase64Encoded: true }, /not valid base64/, 'unpadded base64')
  rejects(t, { statusCode: 200, isBase64Encoded: 'yes' }, /isBase64Encoded must be a boolean/, 'isBase64Encoded string')
  rejects(t, { statusCode: 200, headers: ['a'] }, /headers must be an object/, 'headers array')
  rejects(t, { statusCode: 200, headers: { a: { b: 1 } } }, /value must be a string, number or boolean/, 'object header value')
  rejects(t, { statusCode: 200, headers: { a: null } }, /value must be a string, number or boolean/, 'null header value')
  rejects(t, { statusCode: 200, cookies: 'a=1' }, /cookies must be an array/, 'cookies string')
  rejects(t, { statusCode: 200, cookies: [1] }, /cookies must be an array of strings/, 'cookie number')
})

t.test('invalid JSON', async t => {
  rejects(t, '', /not valid JSON/, 'empty payload')
  rejects(t, '{"statusCode":200', /not valid JSON/, 'truncated')
  rejects(t, 'Hello', /not valid JSON/, 'plain text')
})

t.test('the default function name', async t => {
  t.throws(() => fromLambdaResult('nope'), { message: 'function unknown returned a response the gateway cannot map' })
})

t.test('multiValueHeaders is ignored whatever it holds: nothing of it reaches the response', async t => {
  for (const multiValueHeaders of [{ 'x-a': ['ok', 'no\r\nSet-Cookie: evil=1'] }, { a: 'x' }, 'x', { 'bad name': ['v'] }]) {
    const r = fromLambdaResult(JSON.stringify({ statusCode: 200, headers: { 'x-kept': '1' }, multiValueHeaders }), 'Users-DEV')
    t.strictSame(r.headers, { 'x-kept': '1' }, `${JSON.stringify(multiValueHeaders)}: ignored`)
    t.strictSame(r.ignored, ['multiValueHeaders'])
  }
})
