// forward-billing refuses every invalid billing before anything leaves the function: each case
// answers its full 400 body and the stand-in gateway sees no request at all.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { readConfig } from '../../lambdas/forward-billing/config.js'
import { createForwardBillingHandler } from '../../lambdas/forward-billing/handler.js'
import {
  bodyOf, jsonOf, loadEvent, problemBody, validationBody, withBody, withMethod, withPathParameters
} from '../helpers/lambda-events.js'

let upstreamRequests = 0
const server = createServer((_req, res) => { upstreamRequests++; res.writeHead(500).end() })
await new Promise<void>(resolve => server.listen({ port: 0, host: '127.0.0.1' }, resolve))
t.teardown(() => { server.close() })
const handler = createForwardBillingHandler(readConfig({ GATEWAY_BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }))

const RID = 'req-billing-1'
const valid = bodyOf(loadEvent('forward-billing-create'))
const { currency: _c, ...withoutCurrency } = valid

const cases: Array<[string, unknown, Array<{ path: string, message: string }>]> = [
  ['an empty object', {}, [
    { path: '/body/projectId', message: 'Expected required property' },
    { path: '/body/amount', message: 'Expected required property' },
    { path: '/body/currency', message: 'Expected required property' },
    { path: '/body/description', message: 'Expected required property' },
    { path: '/body/billedOn', message: 'Expected required property' }
  ]],
  ['no currency', withoutCurrency, [{ path: '/body/currency', message: 'Expected required property' }]],
  ['a PascalCase field', { ...valid, Amount: 5 }, [{ path: '/body/Amount', message: 'Unexpected property' }]],
  ['a string projectId', { ...valid, projectId: '3' }, [{ path: '/body/projectId', message: 'Expected integer' }]],
  ['projectId beyond int32', { ...valid, projectId: 2_147_483_648 }, [{ path: '/body/projectId', message: 'Expected integer to be less or equal to 2147483647' }]],
  ['a zero amount', { ...valid, amount: 0 }, [{ path: '/body/amount', message: 'Expected number to be greater or equal to 0.01' }]],
  ['a huge amount', { ...valid, amount: 1_000_000.01 }, [{ path: '/body/amount', message: 'Expected number to be less or equal to 1000000' }]],
  ['an amount with sub-cent digits', { ...valid, amount: 1.005 }, [{ path: '/body/amount', message: 'Expected at most 2 decimal places' }]],
  ['an amount as text', { ...valid, amount: '12.50' }, [{ path: '/body/amount', message: 'Expected number' }]],
  ['a currency name', { ...valid, currency: 'Euro' }, [{ path: '/body/currency', message: "Expected string to match '^[A-Z]{3}$'" }]],
  ['an empty description', { ...valid, description: '' }, [{ path: '/body/description', message: 'Expected string length greater or equal to 1' }]],
  ['an oversized description', { ...valid, description: 'x'.repeat(501) }, [{ path: '/body/description', message: 'Expected string length less or equal to 500' }]],
  ['a timestamp for billedOn', { ...valid, billedOn: '2026-11-27T00:00:00Z' }, [{ path: '/body/billedOn', message: 'Expected string length less or equal to 10' }]],
  ['an impossible billedOn', { ...valid, billedOn: '2026-13-01' }, [{ path: '/body/billedOn', message: 'Expected a calendar date from 1900-01-01 on' }]],
  ['a null userId', { ...valid, userId: null }, [{ path: '/body/userId', message: 'Expected integer' }]],
  ['an array body', [valid], [{ path: '/body', message: 'Expected object' }]]
]
for (const [name, body, errors] of cases) {
  t.test(`a billing with ${name} is 400`, async t => {
    const res = await handler(withBody(loadEvent('forward-billing-create'), body))
    t.equal(res.statusCode, 400)
    t.strictSame(jsonOf(res), validationBody(RID, errors))
  })
}

t.test('an Idempotency-Key outside the legacy rule is 400 at /headers/idempotency-key', async t => {
  for (const key of ['with space', 'x'.repeat(256), 'ключ']) {
    const event = loadEvent('forward-billing-create')
    event.headers['idempotency-key'] = key
    const res = await handler(event)
    t.strictSame(jsonOf(res), validationBody(RID, [{ path: '/headers/idempotency-key', message: "Expected string to match '^[\\x21-\\x7e]{1,255}$'" }]))
  }
})

t.test('without a request id the client must send a key', async t => {
  const event = loadEvent('forward-billing-create')
  const { requestId: _r, ...requestContext } = event.requestContext
  const res = await handler({ ...event, requestContext })
  t.strictSame(jsonOf(res), problemBody('FN_ERR_VALIDATION', 'the request is invalid', {
    errors: [{ path: '/headers/idempotency-key', message: 'Expected an Idempotency-Key header when the event has no requestContext.requestId' }]
  }))
})

t.test('malformed JSON, a base64 body of garbage, query parameters, a path id and GET', async t => {
  const malformed = await handler(withBody(loadEvent('forward-billing-create'), '{"projectId":3,,}'))
  t.strictSame([malformed.statusCode, jsonOf(malformed)], [400, problemBody('FN_ERR_MALFORMED_JSON', 'the body is not valid JSON', { requestId: RID })])

  const b64 = { ...loadEvent('forward-billing-create'), isBase64Encoded: true, body: Buffer.from([0xff, 0xfe, 0x00]).toString('base64') }
  t.equal((await handler(b64)).statusCode, 400)

  const query = { ...loadEvent('forward-billing-create'), queryStringParameters: { dryRun: 'true' } }
  t.strictSame(jsonOf(await handler(query)), validationBody(RID, [{ path: '/queryStringParameters/dryRun', message: 'Unexpected property' }]))

  const withId = await handler(withPathParameters(loadEvent('forward-billing-create'), { id: '1' }))
  t.strictSame([withId.statusCode, withId.headers.allow], [405, ''])

  const get = await handler(withMethod(loadEvent('forward-billing-create'), 'GET'))
  t.strictSame([get.statusCode, get.headers.allow], [405, 'POST'])
  t.strictSame(jsonOf(get), problemBody('FN_ERR_METHOD_NOT_ALLOWED', 'GET is not allowed here; allowed: POST', { requestId: RID }))
})

t.test('an event carrying our own forward marker is 508 (a routing loop), not forwarded again', async t => {
  const event = loadEvent('forward-billing-create')
  event.headers['x-forwarded-by-function'] = 'forward-billing'
  const res = await handler(event)
  t.strictSame([res.statusCode, jsonOf(res)], [508, problemBody('FN_ERR_LOOP_DETECTED',
    'already forwarded by forward-billing: the gateway must send POST /api/Billings from functions to legacy', { requestId: RID })])
})

t.test('nothing invalid reached the gateway', async t => {
  t.equal(upstreamRequests, 0)
})
