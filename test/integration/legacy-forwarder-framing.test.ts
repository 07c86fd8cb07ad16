// Framing through the lean forwarder: legacy's trailers reach the client after hygiene, a 103
// Early Hints before the answer is dropped and the final answer passes whole, an unsolicited
// 100 Continue (undici refuses the connection) is a 502 problem, HEAD keeps legacy's
// Content-Length without a body, and an empty answer is framed by Node (content-length: 0).
import t from 'tap'
import { connect } from 'node:net'
import { request } from 'undici'
import { rawRequest, startOrigin } from '../helpers/gateway.js'
import { startForwarderHarness } from '../helpers/legacy-forwarder-harness.js'

/** The raw bytes of one exchange (the client sees the framing as it is on the wire). */
async function rawExchange (url: string, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1')
    let text = ''
    socket.on('data', (c: Buffer) => { text += c.toString('latin1') })
    socket.on('end', () => resolve(text))
    socket.on('error', reject)
    socket.write(head)
  })
}

t.test('legacy trailers pass through hygiene onto the chunked answer', async (t) => {
  const origin = await startOrigin(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', trailer: 'x-checksum' })
    res.write('part one, ')
    res.addTrailers({ 'x-checksum': 'abc123', 'x-gateway-target': 'spoofed' })
    res.end('part two')
  })
  const h = await startForwarderHarness(t, origin.url)
  const wire = await rawExchange(h.url, 'GET /t HTTP/1.1\r\nHost: gw\r\nTE: trailers\r\nConnection: close\r\n\r\n')
  t.match(wire, /transfer-encoding: chunked/i)
  const tail = wire.slice(wire.lastIndexOf('\r\n0\r\n'))
  t.match(tail, /x-checksum: abc123\r\n/i, 'the trailer arrives after the last chunk')
  t.notMatch(tail, /x-gateway-target/i, 'an internal name is dropped from trailers too')
  const res = await request(`${h.url}/t`)
  t.equal(await res.body.text(), 'part one, part two')
  t.equal(res.trailers['x-checksum'], 'abc123')
})

t.test('a 103 Early Hints is dropped; the final answer passes whole', async (t) => {
  const origin = await startOrigin(t, (_req, res) => {
    res.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' })
    setTimeout(() => { res.writeHead(201, { 'content-type': 'text/plain', 'x-final': 'yes' }); res.end('created') }, 20)
  })
  const h = await startForwarderHarness(t, origin.url)
  const wire = await rawExchange(h.url, 'POST /e HTTP/1.1\r\nHost: gw\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
  t.match(wire, /^HTTP\/1\.1 201 Created\r\n/, 'the first status line the client sees is the final one')
  t.match(wire, /x-final: yes/)
  t.match(wire, /\r\n7\r\ncreated\r\n0\r\n\r\n$/, 'the body, chunked as legacy sent it')
  t.same(h.calls.ended, [undefined])
})

t.test('an unsolicited 100 Continue from legacy → 502 problem (undici refuses it), one attempt', async (t) => {
  const origin = await startOrigin(t, (_req, res) => { res.writeContinue(); res.end('after continue') })
  const h = await startForwarderHarness(t, origin.url)
  const res = await request(`${h.url}/c`, { headers: { 'x-request-id': 'r-100' } })
  t.equal(res.statusCode, 502)
  t.equal(res.headers['content-type'], 'application/problem+json')
  t.equal((await res.body.json() as { code: string }).code, 'GW_ERR_LEGACY_UNAVAILABLE')
  t.equal(origin.requests(), 1, 'not retried')
  t.equal(h.calls.ended.length, 1)
  t.ok(h.calls.ended[0] instanceof Error, 'a misbehaving legacy is legacy\'s failure')
})

t.test('HEAD keeps legacy\'s Content-Length and sends no body', async (t) => {
  const origin = await startOrigin(t, (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1234' })
    res.end(req.method === 'HEAD' ? undefined : Buffer.alloc(1234, 0x20))
  })
  const h = await startForwarderHarness(t, origin.url)
  const wire = await rawExchange(h.url, 'HEAD /h HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n')
  t.match(wire, /^HTTP\/1\.1 200 OK\r\n/)
  t.match(wire, /content-length: 1234\r\n/i)
  t.ok(wire.endsWith('\r\n\r\n'), 'nothing after the head')
  t.same(h.calls.ended, [undefined])
})

t.test('an empty answer is framed with content-length: 0; 204 and 304 carry no body', async (t) => {
  const origin = await startOrigin(t, (req, res) => {
    const code = Number(req.url?.slice(1))
    res.writeHead(code, code === 304 ? { etag: '"v1"' } : {})
    res.end()
  })
  const h = await startForwarderHarness(t, origin.url)
  const empty = await rawRequest(`${h.url}/200`)
  t.equal(empty.status, 200)
  t.equal(empty.headers['content-length'], '0')
  t.notOk(empty.headers['transfer-encoding'])
  const none = await rawRequest(`${h.url}/204`)
  t.equal(none.status, 204)
  t.equal(none.body.length, 0)
  const notModified = await rawRequest(`${h.url}/304`)
  t.equal(notModified.status, 304)
  t.equal(notModified.headers.etag, '"v1"')
  t.same(h.calls.ended, [undefined, undefined, undefined])
})

t.test('a legacy 5xx passes through and is reported as legacy\'s failure', async (t) => {
  const origin = await startOrigin(t, (_req, res) => { res.writeHead(503, { 'retry-after': '0' }); res.end('busy') })
  const h = await startForwarderHarness(t, origin.url)
  const res = await request(`${h.url}/b`)
  t.equal(res.statusCode, 503)
  t.equal(await res.body.text(), 'busy')
  t.equal(origin.requests(), 1, 'no retry on 503')
  t.match(h.calls.ended, [{ statusCode: 503 }])
})
