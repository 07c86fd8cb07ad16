// The events a function really receives, captured end to end: client → the wired gateway
// (startGateway from a config file, listening dual-stack on ::) → the local Lambda runtime →
// EventCapture-TEST, which writes each event it gets to a file. Every shape the gateway builds
// (live and shadow path) passes Powertools' APIGatewayProxyEventV2Schema with no field outside it,
// repeated headers arrive joined with "," as API Gateway joins them, and a result's
// multiValueHeaders is ignored (one warn line per function). The async path delivers to legacy
// only (gateway/src/async/legacy-deliver.ts), so it builds no Lambda event.
import t from 'tap'
import { request } from 'node:http'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createLogger } from '../../gateway/src/logging.js'
import { echoHandler, logCapture, startOrigin } from '../helpers/gateway.js'
import { startTestLambdaRuntime } from '../helpers/lambda-runtime.js'
import { eventually, scratchDir, startWiredGateway, wiredConfig } from '../helpers/wired-gateway.js'
import { powertoolsV2Problems } from '../helpers/powertools-v2.js'

const TEMPLATE = fileURLToPath(new URL('../fixtures/event-capture/template.yaml', import.meta.url))
const FN = 'EventCapture-TEST'

interface Answer { status: number, headers: Record<string, string | string[] | undefined>, body: Buffer }
interface Sent { host?: string, method?: string, path: string, headers?: Record<string, string | string[]>, body?: Buffer }
interface CapturedEvent {
  routeKey: string
  rawQueryString: string
  cookies?: string[]
  headers: Record<string, string>
  queryStringParameters?: Record<string, string>
  pathParameters?: Record<string, string>
  requestContext: { requestId: string, http: { method: string, sourceIp: string } }
  body?: string
  isBase64Encoded: boolean
}

// node:http, not fetch: an array header goes out as separate lines (fetch folds them into one).
function send (port: number, s: Sent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: s.host ?? '127.0.0.1', port, path: s.path, method: s.method ?? 'GET', headers: s.headers ?? {}, agent: false }, res => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(s.body)
  })
}

const lambda = { function: FN, timeoutMs: 5000, maxConcurrency: 16 }
const routes = [
  { id: 'cap.item', methods: ['GET', 'POST'], path: '/cap/items/:id', target: 'lambda', lambda },
  { id: 'cap.list', methods: ['GET', 'POST'], path: '/cap/items', target: 'lambda', lambda },
  { id: 'cap.files', methods: ['GET'], path: '/cap/files/*', target: 'lambda', lambda },
  { id: 'cap.shadowed', methods: ['GET'], path: '/cap/shadowed/:id', target: 'legacy', lambda, shadow: { enabled: true } }
]

t.test('events captured through the real gateway and runtime', async t => {
  const dir = scratchDir(t, 'gw-event-capture-')
  const eventLog = join(dir, 'events.jsonl')
  writeFileSync(eventLog, '')
  const runtime = await startTestLambdaRuntime(t, { templatePath: TEMPLATE, envOverrides: { [FN]: { EVENT_LOG_FILE: eventLog } } })
  const origin = await startOrigin(t, echoHandler())
  const logs = logCapture()
  const gw = await startWiredGateway(t, {
    doc: wiredConfig({ legacyUrl: origin.url, lambdaEndpoint: runtime.url, routes, extra: { server: { host: '::', port: 0, shutdownGraceMs: 3000 } } }),
    dir,
    start: { logger: createLogger({ level: 'warn', stream: logs.stream }) }
  })
  const port = Number(new URL(gw.url).port)
  const events = (): CapturedEvent[] => readFileSync(eventLog, 'utf8').split('\n').filter(Boolean).map(l => JSON.parse(l) as CapturedEvent)

  /** Sends, expects the function's 200, and returns the event it got (matched by request id). */
  async function eventFor (what: string, s: Sent): Promise<CapturedEvent> {
    const res = await send(port, s)
    t.equal(res.status, 200, `${what}: the function answered (${res.body.toString('utf8').slice(0, 200)})`)
    const id = res.headers['x-request-id']
    const event = events().find(e => e.requestContext.requestId === id)
    if (event === undefined) throw new Error(`${what}: no event captured for request ${String(id)}`)
    t.strictSame(powertoolsV2Problems(event), [], `${what}: valid against APIGatewayProxyEventV2Schema, nothing outside it`)
    return event
  }

  const get = await eventFor('GET, no body', { path: '/cap/items/7' })
  t.strictSame(get.pathParameters, { id: '7' })
  t.equal(get.routeKey, 'GET /cap/items/{id}')
  t.notOk('body' in get, 'no body field')
  t.equal(get.isBase64Encoded, false)
  t.equal(get.requestContext.http.sourceIp, '127.0.0.1', 'an IPv4 client on a dual-stack socket (::ffff:127.0.0.1) is sent as IPv4')

  const noParams = await eventFor('GET, no path parameters', { path: '/cap/items' })
  t.notOk('pathParameters' in noParams, 'omitted when the route has none')

  const json = Buffer.from(JSON.stringify({ name: 'Zoë', n: [1, 2] }))
  const postJson = await eventFor('POST JSON', { method: 'POST', path: '/cap/items', headers: { 'content-type': 'application/json' }, body: json })
  t.equal(postJson.body, json.toString('utf8'))
  t.equal(postJson.isBase64Encoded, false)

  const bytes = Buffer.from([0, 1, 2, 0xfe, 0xff])
  const postBinary = await eventFor('POST binary', { method: 'POST', path: '/cap/items/9', headers: { 'content-type': 'application/octet-stream' }, body: bytes })
  t.equal(postBinary.isBase64Encoded, true)
  t.same(Buffer.from(postBinary.body ?? '', 'base64'), bytes, 'the exact bytes, base64')

  const query = await eventFor('repeated query keys', { path: '/cap/items?a=1&a=2&q=caf%C3%A9&flag' })
  t.equal(query.rawQueryString, 'a=1&a=2&q=caf%C3%A9&flag')
  t.strictSame(query.queryStringParameters, { a: '1,2', q: 'café', flag: '' })

  const cookies = await eventFor('cookies', { path: '/cap/items', headers: { cookie: 'a=1; b=2' } })
  t.strictSame(cookies.cookies, ['a=1', 'b=2'])
  t.notOk('cookie' in cookies.headers, 'the cookie header leaves headers')

  const repeated = await eventFor('repeated headers', {
    path: '/cap/items',
    headers: { 'x-tag': ['a', 'b', 'c'], accept: ['text/html', 'application/json'], 'x-one-line': 'p, q' }
  })
  t.equal(repeated.headers['x-tag'], 'a,b,c', 'three lines: joined with "," as API Gateway does')
  t.equal(repeated.headers.accept, 'text/html,application/json')
  t.equal(repeated.headers['x-one-line'], 'p, q', 'one line holding ", " is kept as sent')

  const proxy = await eventFor('{proxy+} route', { path: '/cap/files/a/b%20c' })
  t.equal(proxy.routeKey, 'GET /cap/files/{proxy+}')
  t.strictSame(proxy.pathParameters, { proxy: 'a/b c' })
  const proxyEmpty = await eventFor('{proxy+} route, zero segments', { path: '/cap/files' })
  t.strictSame(proxyEmpty.pathParameters, { proxy: '' })

  const v6 = await eventFor('IPv6 client', { host: '::1', path: '/cap/items/1' })
  t.equal(v6.requestContext.http.sourceIp, '::1')
  t.equal(v6.headers['x-forwarded-for'], '::1')

  // The shadow path: legacy answers the client, the function gets the event afterwards.
  const shadowed = await send(port, { path: '/cap/shadowed/5?x=1&x=2', headers: { 'x-tag': ['s1', 's2'], cookie: 'sid=9' } })
  t.equal(shadowed.status, 200, 'legacy answered')
  await eventually('the shadow event', () => events().some(e => e.requestContext.requestId === shadowed.headers['x-request-id']))
  const shadow = events().find(e => e.requestContext.requestId === shadowed.headers['x-request-id']) as CapturedEvent
  t.strictSame(powertoolsV2Problems(shadow), [], 'shadow event: valid against APIGatewayProxyEventV2Schema, nothing outside it')
  t.equal(shadow.headers['x-gateway-shadow'], '1')
  t.equal(shadow.headers['x-tag'], 's1,s2', 'the shadow event joins repeated headers the same way')
  t.strictSame(shadow.cookies, ['sid=9'])
  t.strictSame(shadow.pathParameters, { id: '5' })
  t.strictSame(shadow.queryStringParameters, { x: '1,2' })

  // multiValueHeaders in a 2.0 result: ignored, as behind API Gateway; warned once per function.
  const warned = (): number => logs.lines().filter(l => l.msg === 'lambda result fields ignored (payload format 2.0 has no such field)').length
  for (const round of [1, 2]) {
    const res = await send(port, { path: '/cap/items/1?multi=1' })
    t.equal(res.status, 200)
    t.equal(res.headers['x-single'], 'one', `round ${round}: headers are sent`)
    t.notOk('x-multi' in res.headers, `round ${round}: multiValueHeaders is not`)
    t.notOk('set-cookie' in res.headers, `round ${round}: nor a cookie set through it`)
  }
  t.equal(warned(), 1, 'one warn line for the function, not one per request')
  t.match(logs.lines().find(l => l.msg === 'lambda result fields ignored (payload format 2.0 has no such field)'), { function: FN, ignored: ['multiValueHeaders'] })
})
