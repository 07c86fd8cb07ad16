// Issue 14 item 5 on the Lambda target, over a raw socket: the event a function receives is built
// from the same header hygiene as a legacy forward — no IIS rewrite or method-override header, no
// spoofed client address (nor its underscore spelling), the real peer as X-Forwarded-For and as
// requestContext.http.sourceIp, and the request's own id.
import t from 'tap'
import type { LambdaInvoker } from '../../gateway/src/targets/lambda-invoker.js'
import { startTestGateway, testConfig } from '../helpers/gateway.js'
import { rawExchange, rawRequestBytes } from '../helpers/raw-exchange.js'

interface SeenEvent { headers: Record<string, string>, requestContext: { http: { sourceIp: string } } }

t.test('the function event carries no steering or spoofed client-address header', async t => {
  const events: SeenEvent[] = []
  const invoker = {
    invoke: async (input: { payload: Uint8Array }) => {
      events.push(JSON.parse(Buffer.from(input.payload).toString('utf8')) as SeenEvent)
      return { statusCode: 200, payload: Buffer.from(JSON.stringify({ statusCode: 200, body: 'ok' })), durationMs: 1 }
    },
    clientsFor: () => { throw new Error('not used') },
    close: () => {}
  } as unknown as LambdaInvoker
  const gw = await startTestGateway(t, testConfig({ server: { internalHeaders: ['x-internal-user'] } }), { invoker })
  const answer = await rawExchange(gw.url, rawRequestBytes('GET', '/api/users/1', [
    'X-Original-URL: /api/admin',
    'X-HTTP-Method-Override: DELETE',
    'X-Real-IP: 6.6.6.6',
    'True-Client-IP: 6.6.6.6',
    'X-Forwarded-For: 6.6.6.6',
    'X_Forwarded_For: 6.6.6.6',
    'x_internal_user: admin',
    'x-internal-user: admin',
    'x-request-id: bad id'
  ]))
  t.equal(answer.status, 200, 'the function answered', { answer: answer.text })
  const event = events[0]
  if (event === undefined) throw new Error('the function was not invoked')
  for (const name of ['x-original-url', 'x-http-method-override', 'x-real-ip', 'true-client-ip', 'x_forwarded_for', 'x_internal_user', 'x-internal-user']) {
    t.notOk(name in event.headers, `${name} is not in the event`)
  }
  t.equal(event.headers['x-forwarded-for'], '127.0.0.1')
  t.equal(event.requestContext.http.sourceIp, '127.0.0.1')
  t.equal(event.headers['x-request-id'], answer.headers['x-request-id'])
  t.match(event.headers['x-request-id'], /^[0-9a-f-]{36}$/)
})
