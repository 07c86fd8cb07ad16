import t from 'tap'
import type { Test } from 'tap'
import Fastify from 'fastify'
import type { FastifyReply } from 'fastify'
import { replyHeadersOf } from '../../gateway/src/http/reply-headers.js'

// replyHeadersOf(reply) must be reply.getHeaders(): same names, values and order, and a copy.
async function seen (t: Test, setUp: (reply: FastifyReply) => void): Promise<{ got: unknown[], want: unknown[], copy: boolean }> {
  const app = Fastify()
  t.teardown(() => app.close())
  let result: { got: unknown[], want: unknown[], copy: boolean } | undefined
  app.get('/', (_request, reply) => {
    setUp(reply)
    const got = replyHeadersOf(reply)
    result = { got: Object.entries(got), want: Object.entries(reply.getHeaders()), copy: false }
    got['x-added'] = 'later'
    result.copy = reply.getHeader('x-added') === undefined
    reply.send('ok')
  })
  await app.inject('/')
  if (result === undefined) throw new Error('handler did not run')
  return result
}

t.test('only reply.header(): the same headers in the same order, as a copy', async t => {
  const r = await seen(t, reply => { reply.header('x-request-id', 'a').header('ratelimit-limit', '5').header('set-cookie', ['a=1', 'b=2']) })
  t.strictSame(r.got, r.want)
  t.strictSame(r.got.map(e => (e as [string])[0]), ['x-request-id', 'ratelimit-limit', 'set-cookie'])
  t.ok(r.copy, 'writing to the result leaves the reply alone')
})

t.test('raw headers too: raw first, reply.header() wins on a shared name', async t => {
  const r = await seen(t, reply => { reply.raw.setHeader('x-raw', '1'); reply.raw.setHeader('x-both', 'raw'); reply.header('x-both', 'reply').header('x-own', '2') })
  t.strictSame(r.got, r.want)
  t.strictSame(Object.fromEntries(r.got as Array<[string, unknown]>), { 'x-raw': '1', 'x-both': 'reply', 'x-own': '2' })
  t.ok(r.copy)
})

t.test('nothing set at all: an empty object', async t => {
  const r = await seen(t, () => {})
  t.strictSame(r.got, [])
  t.strictSame(r.want, [])
})

t.test('an object without Fastify\'s header store answers through getHeaders()', async t => {
  const raw = { getHeaderNames: () => [] }
  const fake = { raw, getHeaders: () => ({ from: 'getHeaders' }) } as unknown as FastifyReply
  t.strictSame(replyHeadersOf(fake), { from: 'getHeaders' })
})
