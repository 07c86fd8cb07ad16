// Streaming through the lean forwarder: a large answer to a client that does not read is held
// back at legacy (the dispatch controller pauses the upstream parser when the client's socket is
// full), so the gateway buffers a few socket buffers, never the body; when the client reads, every
// byte arrives. An upload of several MB reaches legacy byte for byte with its exact length.
import t from 'tap'
import { createHash, randomBytes } from 'node:crypto'
import { connect } from 'node:net'
import { request } from 'undici'
import { startOrigin, until } from '../helpers/gateway.js'
import { startForwarderHarness } from '../helpers/legacy-forwarder-harness.js'

const MB = 1024 * 1024
const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

t.test('a 96 MB answer to a client that stops reading: held back at legacy, then delivered whole', async (t) => {
  const total = 96 * MB
  const chunk = Buffer.alloc(64 * 1024, 7)
  let written = 0
  const origin = await startOrigin(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(total) })
    const pump = (): void => {
      while (written < total) {
        written += chunk.length
        if (!res.write(chunk)) { res.once('drain', pump); return }
      }
      res.end()
    }
    pump()
  })
  const h = await startForwarderHarness(t, origin.url)
  const socket = connect(Number(new URL(h.url).port), '127.0.0.1')
  let received = 0
  let headEnd = -1
  let done: () => void = () => {}
  const finished = new Promise<void>(resolve => { done = resolve })
  socket.on('data', (c: Buffer) => {
    if (headEnd < 0) {
      const text = c.toString('latin1')
      headEnd = text.indexOf('\r\n\r\n')
      received += c.length - headEnd - 4
    } else received += c.length
    if (received >= total) done()
  })
  socket.write('GET /big HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n')
  await until(() => received > 0)
  socket.pause()
  let maxBuffered = 0
  const sampler = setInterval(() => { for (const r of h.replies) maxBuffered = Math.max(maxBuffered, r.writableLength) }, 5)
  await sleep(800)
  const writtenWhilePaused = written
  t.ok(writtenWhilePaused < 48 * MB, `legacy was held back while the client did not read (${(writtenWhilePaused / MB).toFixed(1)} MB of 96 written)`)
  t.ok(maxBuffered < 1 * MB, `the gateway's response buffer stayed small (${(maxBuffered / 1024).toFixed(0)} KiB at most)`)
  t.equal(h.calls.active(), 1, 'the call is under way while held back')
  socket.resume()
  await finished
  clearInterval(sampler)
  t.equal(received, total, 'every byte arrived')
  t.ok(maxBuffered < 1 * MB, `still small while flowing (${(maxBuffered / 1024).toFixed(0)} KiB at most)`)
  await until(() => h.calls.active() === 0)
  t.same(h.calls.ended, [undefined])
  socket.destroy()
})

t.test('an 8 MB upload and its 8 MB answer pass byte for byte', async (t) => {
  const payload = randomBytes(8 * MB)
  const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')
  let got = { hash: '', length: '' }
  const origin = await startOrigin(t, (req, res, body) => {
    got = { hash: sha(body), length: String(req.headers['content-length']) }
    res.end(Buffer.from(body).reverse())
  })
  const h = await startForwarderHarness(t, origin.url)
  const res = await request(`${h.url}/up`, { method: 'PUT', body: payload, headers: { 'content-type': 'application/octet-stream' } })
  const back = Buffer.from(await res.body.arrayBuffer())
  t.equal(res.statusCode, 200)
  t.same(got, { hash: sha(payload), length: String(payload.length) }, 'legacy got the exact bytes with their exact length')
  t.equal(sha(back), sha(Buffer.from(payload).reverse()))
})
