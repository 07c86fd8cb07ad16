// A client that hangs up while legacy works on its request: the answer's stream is handed to a
// response already closed, Fastify destroys it and undici reports RequestAbortedError. That is the client's doing: no 500, no
// gateway_internal_errors_total, the gateway keeps serving. (Found by the raw-HTTP fuzzer, seed 7.)
import t from 'tap'
import { connect } from 'node:net'
import { startOrigin, startTestGateway, testConfig } from '../helpers/gateway.js'

t.test('a client gone before legacy answered is no internal error', async (t) => {
  let seen = 0
  const origin = await startOrigin(t, (req, res) => {
    if (req.url === '/api/fine') { res.end('ok'); return }
    seen++
    // Legacy answers after the client has gone: the gateway then hands Fastify a stream for a
    // response that is already closed.
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      res.end(Buffer.alloc(256 * 1024, 1))
    }, 150)
  })
  const gw = await startTestGateway(t, testConfig({ legacy: { url: origin.url } }))
  const { port } = new URL(gw.url)
  for (let i = 0; i < 5; i++) {
    const before = seen
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => { socket.write('GET /api/stream HTTP/1.1\r\nHost: gw.test\r\n\r\n') })
      socket.on('error', () => {})
      const poll = setInterval(() => { if (seen > before) { clearInterval(poll); socket.destroy(); resolve() } }, 5)
    })
  }
  const deadline = Date.now() + 3000
  let metrics = ''
  while (Date.now() < deadline) {
    metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text()
    if (origin.requests() === 5 && /gateway_upstream_inflight\{upstream="legacy"\} 0/.test(metrics)) break
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  t.equal(origin.requests(), 5, 'legacy got the five requests')
  t.match(metrics, /gateway_upstream_inflight\{upstream="legacy"\} 0/, 'and the five calls ended')
  t.notMatch(metrics, /gateway_internal_errors_total\{[^}]*\} [1-9]/, 'no internal error counted')
  const fine = await fetch(`${gw.url}/api/fine`)
  t.equal(await fine.text(), 'ok', 'the gateway keeps serving')
})
