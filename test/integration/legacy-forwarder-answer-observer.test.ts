// An answer written straight to the socket skips Fastify's onSend hooks, so whoever must see it
// (shadow traffic compares it with the other side) gets it from the forwarder: the head legacy's
// client got (after hygiene, with the gateway's own headers) and every body chunk, in order.
import t from 'tap'
import { request } from 'undici'
import { startOrigin } from '../helpers/gateway.js'
import { startForwarderHarness } from '../helpers/legacy-forwarder-harness.js'
import type { AnswerHead } from '../../gateway/src/targets/legacy-response-writer.js'

t.test('the observer sees the status, the client\'s headers and every chunk', async (t) => {
  const origin = await startOrigin(t, (_req, res) => {
    res.writeHead(202, { 'content-type': 'application/json', 'x-gateway-secret': 'no', connection: 'keep-alive' })
    res.write('{"a":')
    setTimeout(() => res.end('1}'), 20)
  })
  const seen: { status: number, head: AnswerHead, chunks: Buffer[] } = { status: 0, head: {}, chunks: [] }
  const h = await startForwarderHarness(t, origin.url, {
    observer: {
      onAnswerHead: (status, head) => { seen.status = status; seen.head = { ...head } },
      onAnswerChunk: (chunk) => { seen.chunks.push(chunk) }
    }
  })
  const res = await request(`${h.url}/o`)
  t.equal(await res.body.text(), '{"a":1}')
  t.equal(seen.status, 202)
  t.equal(seen.head['content-type'], 'application/json')
  t.ok(seen.head['x-request-id'], 'the gateway\'s own headers are part of the head')
  t.notOk('x-gateway-secret' in seen.head, 'hygiene applied first')
  t.notOk('connection' in seen.head)
  t.equal(Buffer.concat(seen.chunks).toString(), '{"a":1}')
})
