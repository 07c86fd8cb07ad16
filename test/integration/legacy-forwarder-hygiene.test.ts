// The lean forwarder keeps header hygiene both ways and the request's bytes exact: hop-by-hop and
// internal headers never reach legacy or come back, `Expect` is never forwarded, the body goes
// with its exact length, the query as sent, a `..` segment is refused before anything is sent,
// and a header undici refuses is the client's fault (400, never held against legacy).
import t from 'tap'
import { connect } from 'node:net'
import { request } from 'undici'
import { echoHandler, rawRequest, startOrigin } from '../helpers/gateway.js'
import { startForwarderHarness } from '../helpers/legacy-forwarder-harness.js'

interface Echo { method: string, url: string, headers: Record<string, string>, body: string }

t.test('request hygiene: hop-by-hop gone, x-forwarded-* rebuilt, host is legacy, query as sent', async (t) => {
  const origin = await startOrigin(t, echoHandler())
  const h = await startForwarderHarness(t, origin.url)
  const res = await rawRequest(`${h.url}/api/a/b?x=1&x=2&y=%20`, {
    headers: {
      connection: 'keep-alive, x-drop-me',
      'x-drop-me': 'secret',
      'proxy-authorization': 'Basic abc',
      te: 'trailers',
      'x-forwarded-for': '6.6.6.6',
      'x-keep': 'yes'
    }
  })
  t.equal(res.status, 200)
  const echo = JSON.parse(res.body.toString()) as Echo
  for (const name of ['x-drop-me', 'proxy-authorization', 'te']) t.notOk(name in echo.headers, `${name} is not forwarded`)
  t.equal(echo.headers.connection, 'keep-alive', 'the connection header is the pool\'s own, not the client\'s')
  t.equal(echo.headers['x-forwarded-for'], '127.0.0.1')
  t.equal(echo.headers.host, new URL(origin.url).host, 'legacy gets its own host')
  t.equal(echo.headers['x-keep'], 'yes')
  t.equal(echo.url, '/api/a/b?x=1&x=2&y=%20')
  t.same(h.calls.ended, [undefined], 'one call, ended without a legacy failure')
})

t.test('response hygiene: hop-by-hop and x-gateway-* from legacy are dropped, set-cookie kept whole', async (t) => {
  const origin = await startOrigin(t, (_req, res) => {
    res.setHeader('x-gateway-target', 'spoofed')
    res.setHeader('x-request-id', 'legacy-id')
    res.setHeader('keep-alive', 'timeout=99')
    res.setHeader('connection', 'x-secret')
    res.setHeader('x-secret', 'hidden')
    res.setHeader('set-cookie', ['a=1; Path=/', 'b=2; Path=/'])
    res.end('ok')
  })
  const h = await startForwarderHarness(t, origin.url)
  const res = await rawRequest(`${h.url}/r`, { headers: { 'x-request-id': 'client-id' } })
  t.equal(res.status, 200)
  t.equal(res.body.toString(), 'ok')
  t.notOk('x-gateway-target' in res.headers)
  t.notOk('x-secret' in res.headers, 'a header named in Connection is dropped')
  t.not(res.headers['keep-alive'], 'timeout=99')
  t.ok(res.headers['x-request-id'], 'the gateway sets its own request id')
  t.not(res.headers['x-request-id'], 'legacy-id', 'legacy cannot set it')
  t.same(res.headers['set-cookie'], ['a=1; Path=/', 'b=2; Path=/'])
  t.equal(res.headers['content-length'], '2', 'legacy\'s framing is kept')
})

t.test('Expect is never forwarded; the body goes with its exact length', async (t) => {
  const origin = await startOrigin(t, echoHandler())
  const h = await startForwarderHarness(t, origin.url)
  const body = Buffer.from('{"a":1}')
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(new URL(h.url).port), '127.0.0.1')
    let text = ''
    let sent = false
    socket.on('data', (c: Buffer) => {
      text += c.toString()
      if (!sent && text.includes('100 Continue')) { sent = true; socket.write(body) }
    })
    socket.on('end', () => resolve(text))
    socket.on('error', reject)
    socket.write(`POST /p HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`)
  })
  t.match(answer, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK/)
  const echo = JSON.parse(answer.slice(answer.lastIndexOf('\r\n\r\n') + 4)) as Echo
  t.notOk('expect' in echo.headers)
  t.equal(echo.headers['content-length'], String(body.length))
  t.equal(Buffer.from(echo.body, 'base64').toString(), '{"a":1}')
  t.same(h.calls.ended, [undefined])
})

t.test('a `..` segment is refused with 400 before anything is sent', async (t) => {
  const origin = await startOrigin(t, echoHandler())
  const h = await startForwarderHarness(t, origin.url)
  const res = await rawRequest(`${h.url}/api/..hidden`)
  t.equal(res.status, 400)
  t.equal(JSON.parse(res.body.toString()).code, 'GW_ERR_ROUTING_BAD_PATH')
  t.equal(origin.requests(), 0)
  t.equal(h.calls.begun, 0)
})

t.test('a header undici refuses → 400 GW_ERR_REQUEST_INVALID, not held against legacy', async (t) => {
  const origin = await startOrigin(t, echoHandler())
  const h = await startForwarderHarness(t, origin.url, { inject: { 'x-bad': 'a\u0100b' } })
  const res = await request(`${h.url}/x`)
  t.equal(res.statusCode, 400)
  t.equal((await res.body.json() as { code: string }).code, 'GW_ERR_REQUEST_INVALID')
  t.equal(origin.requests(), 0)
  t.same(h.calls.ended, [undefined], 'the call ended with no legacy failure')
  t.equal(h.outcomes[0]?.rejection, 'bad_request')
})
