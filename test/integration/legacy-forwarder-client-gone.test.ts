// A client that leaves, through the lean forwarder: before the call is sent (waiting for a permit,
// or queued in the pool for a connection) it is never sent; while legacy works on it the call
// runs on and stays counted (its permit held) until legacy answers; once the answer streams, the
// upstream call is stopped and ends then — never counted as legacy's failure.
import t from 'tap'
import { connect } from 'node:net'
import type { Socket } from 'node:net'
import type { ServerResponse } from 'node:http'
import { request } from 'undici'
import { startOrigin, until } from '../helpers/gateway.js'
import { startForwarderHarness } from '../helpers/legacy-forwarder-harness.js'

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/** Sends a GET on a raw socket the test can destroy at any moment. */
function rawGet (url: string, path: string): Socket {
  const socket = connect(Number(new URL(url).port), '127.0.0.1')
  socket.on('error', () => {})
  socket.write(`GET ${path} HTTP/1.1\r\nHost: gw\r\n\r\n`)
  return socket
}

t.test('a client gone while it waited (as for a permit) is never sent', async (t) => {
  const origin = await startOrigin(t, (_req, res) => { res.end('ok') })
  const h = await startForwarderHarness(t, origin.url, { delayMs: 150 })
  const socket = rawGet(h.url, '/wait')
  await sleep(50)
  socket.destroy()
  await sleep(250)
  t.equal(origin.requests(), 0, 'legacy never saw it')
  t.equal(h.calls.begun, 0, 'no upstream call began')
})

t.test('a client gone while its call was queued in the pool is never sent', async (t) => {
  let release: () => void = () => {}
  const origin = await startOrigin(t, (req, res) => {
    if (req.url === '/first') release = () => res.end('first')
    else res.end('second')
  })
  const h = await startForwarderHarness(t, origin.url, { legacy: { connections: 1 } })
  const first = request(`${h.url}/first`)
  await until(() => origin.requests() === 1)
  const socket = rawGet(h.url, '/second')
  await until(() => h.calls.begun === 2)
  socket.destroy()
  await sleep(50)
  release()
  t.equal(await (await first).body.text(), 'first')
  await until(() => h.calls.ended.length === 2)
  await sleep(50)
  t.equal(origin.requests(), 1, 'the queued call was dropped before it was written')
  t.same(h.calls.ended, [undefined, undefined], 'neither is legacy\'s failure')
})

t.test('a client gone while legacy works: the call runs on and stays counted until legacy answers', async (t) => {
  let answer: () => void = () => {}
  const origin = await startOrigin(t, (_req, res) => { answer = () => res.end('late answer') })
  const h = await startForwarderHarness(t, origin.url)
  const socket = rawGet(h.url, '/work')
  await until(() => origin.requests() === 1)
  socket.destroy()
  await sleep(100)
  t.equal(h.calls.active(), 1, 'the permit stays held while legacy works')
  t.equal(h.calls.inflight(), 1, 'and the call counts as in flight')
  answer()
  await until(() => h.calls.active() === 0)
  t.same(h.calls.ended, [undefined], 'ended when legacy answered, no legacy failure')
})

t.test('a client gone mid-answer stops the upstream call; it ends (permit released) then', async (t) => {
  let upstream: ServerResponse | undefined
  const origin = await startOrigin(t, (_req, res) => {
    upstream = res
    res.writeHead(200, { 'content-type': 'application/octet-stream' })
    res.write(Buffer.alloc(1024, 1))
    const timer = setInterval(() => res.write(Buffer.alloc(1024, 2)), 20)
    res.on('close', () => clearInterval(timer))
  })
  const h = await startForwarderHarness(t, origin.url)
  const socket = rawGet(h.url, '/stream')
  await new Promise(resolve => socket.once('data', resolve))
  await sleep(60)
  t.equal(h.calls.active(), 1, 'streaming: the call is under way')
  socket.destroy()
  await until(() => upstream?.destroyed === true)
  await until(() => h.calls.active() === 0)
  t.same(h.calls.ended, [undefined], 'a client abort is no legacy failure')
  t.equal(h.calls.inflight(), 0, 'the in-flight gauge is back to 0')
})
