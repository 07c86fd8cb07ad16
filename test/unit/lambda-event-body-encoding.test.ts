// Body encoding rule: utf-8 text for textual content types (text/*, JSON, XML, +json/+xml, form,
// javascript, graphql, yaml, csv, ndjson) when the bytes are valid utf-8 and no other charset is
// declared; otherwise base64 with isBase64Encoded: true. No body → no body field.
import t from 'tap'
import { isTextualContentType, toHttpApiEvent } from '../../gateway/src/targets/lambda-event.js'

function withBody (body: Buffer | undefined, contentType?: string): ReturnType<typeof toHttpApiEvent> {
  return toHttpApiEvent({
    method: 'POST',
    rawPath: '/p',
    rawQueryString: '',
    body,
    sourceIp: '127.0.0.1',
    routeKey: 'POST /p',
    headers: contentType === undefined ? {} : { 'content-type': contentType },
    pathParameters: {},
    stage: 'dev',
    requestId: 'r',
    timeEpochMs: 0,
    domainName: 'localhost'
  })
}

t.test('JSON text body stays text', async t => {
  const e = withBody(Buffer.from('{"name":"Ada"}'), 'application/json')
  t.equal(e.body, '{"name":"Ada"}')
  t.equal(e.isBase64Encoded, false)
})

t.test('utf-8 text survives exactly', async t => {
  const text = 'Grüße, 東京, 🚀'
  const e = withBody(Buffer.from(text, 'utf8'), 'text/plain; charset=utf-8')
  t.equal(e.body, text)
  t.equal(e.isBase64Encoded, false)
})

t.test('binary body → base64', async t => {
  const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x10])
  const e = withBody(bytes, 'image/png')
  t.equal(e.isBase64Encoded, true)
  t.equal(e.body, bytes.toString('base64'))
  t.same(Buffer.from(e.body ?? '', 'base64'), bytes, 'round-trips')
})

t.test('no content-type with a body → base64 (unknown is binary)', async t => {
  const e = withBody(Buffer.from('hello'))
  t.equal(e.isBase64Encoded, true)
  t.equal(e.body, Buffer.from('hello').toString('base64'))
})

t.test('declared textual but invalid utf-8 → base64, bytes kept', async t => {
  const bytes = Buffer.from([0x7b, 0xc3, 0x28, 0x7d])
  const e = withBody(bytes, 'application/json')
  t.equal(e.isBase64Encoded, true)
  t.same(Buffer.from(e.body ?? '', 'base64'), bytes)
})

t.test('a non-utf-8 charset → base64 (the gateway does not transcode)', async t => {
  const latin1 = Buffer.from('Grüße', 'latin1')
  const e = withBody(latin1, 'text/plain; charset=ISO-8859-1')
  t.equal(e.isBase64Encoded, true)
  t.same(Buffer.from(e.body ?? '', 'base64'), latin1)
})

t.test('empty body and no body → no body field, not base64', async t => {
  for (const body of [undefined, Buffer.alloc(0)]) {
    const e = withBody(body, 'application/json')
    t.notOk('body' in e)
    t.equal(e.isBase64Encoded, false)
  }
})

t.test('the textual rule', async t => {
  const textual = [
    'text/plain', 'text/html; charset=utf-8', 'TEXT/CSV', 'application/json', 'application/problem+json',
    'application/vnd.api+json', 'application/xml', 'application/soap+xml', 'application/x-www-form-urlencoded',
    'application/javascript', 'application/graphql', 'application/yaml', 'application/json; charset="UTF-8"',
    'application/x-ndjson', 'text/plain; charset=us-ascii'
  ]
  const binary = [
    undefined, '', 'application/octet-stream', 'image/png', 'multipart/form-data; boundary=x', 'application/pdf',
    'application/zip', 'text/plain; charset=iso-8859-1', 'application/json; charset=utf-16', 'application/jsonx'
  ]
  for (const ct of textual) t.equal(isTextualContentType(ct), true, `${ct} is textual`)
  for (const ct of binary) t.equal(isTextualContentType(ct), false, `${String(ct)} is binary`)
})
