// discardUnreadBody (http/raw-body.ts) sets up no reader for a request that declares no body:
// in Fastify's hooks `raw.complete` is still false for a bodyless GET, so the headers decide.
import t from 'tap'
import { IncomingMessage } from 'node:http'
import { Socket } from 'node:net'
import type { FastifyRequest } from 'fastify'
import { discardUnreadBody } from '../../gateway/src/http/raw-body.js'

function requestWith (headers: Record<string, string | undefined>): { request: FastifyRequest, raw: IncomingMessage } {
  const raw = new IncomingMessage(new Socket())
  raw.headers = headers as IncomingMessage['headers']
  const server = { gateway: { config: { server: { bodyLimitBytes: 1024, bodyTimeoutMs: 0 } } } }
  return { request: { raw, body: undefined, server } as unknown as FastifyRequest, raw }
}

t.test('no Content-Length and no Transfer-Encoding, or Content-Length 0: nothing to read', async (t) => {
  for (const headers of [{}, { 'content-length': '0' }]) {
    const { request, raw } = requestWith(headers)
    t.equal(raw.complete, false, 'the message is not complete yet')
    t.equal(discardUnreadBody(request), undefined, JSON.stringify(headers))
    t.equal(raw.listenerCount('data'), 0, 'no reader listens')
  }
})

t.test('a declared body is read to its end and discarded', async (t) => {
  for (const headers of [{ 'content-length': '3' }, { 'transfer-encoding': 'chunked' }]) {
    const { request, raw } = requestWith(headers)
    const read = discardUnreadBody(request)
    t.ok(read instanceof Promise, JSON.stringify(headers))
    t.equal(raw.listenerCount('data'), 1, 'a reader listens')
    raw.push(Buffer.from('abc'))
    raw.push(null)
    await read
    t.equal(raw.listenerCount('data'), 0, 'and stops listening at the end')
  }
})
