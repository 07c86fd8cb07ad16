// Property fuzzing of the Lambda event mapping (targets/lambda-event.ts) with fast-check. The
// gateway builds API Gateway HTTP API payload format 2.0 events, so every generated event is
// validated against AWS Lambda Powertools' APIGatewayProxyEventV2Schema (the zod schema functions
// use to parse exactly that shape). Properties: it always validates; path, query, body and
// base64 round-trip (the function sees the bytes the client sent, never transcoded lossily);
// repeated query keys and headers are joined as AWS documents; cookies move to `cookies`; the
// event survives a JSON round trip unchanged (it is sent as JSON).
import t from 'tap'
import fc from 'fast-check'
import { APIGatewayProxyEventV2Schema } from '@aws-lambda-powertools/parser/schemas'
import { HTTP_METHODS } from '../../gateway/src/config/schema/route.schema.js'
import { normalizePath } from '../../gateway/src/routing/normalize-path.js'
import { parseQueryString, toHttpApiEvent } from '../../gateway/src/targets/lambda-event.js'
import type { LambdaRequestInput } from '../../gateway/src/targets/lambda-event.js'
import { checkProperty } from '../helpers/property-budget.js'

const PROPERTIES = 4
const TEXTUAL = ['application/json', 'text/plain; charset=utf-8', 'application/problem+json', 'application/x-www-form-urlencoded', 'text/csv']
const BINARY = ['application/octet-stream', 'image/png', 'text/plain; charset=latin1', 'multipart/form-data; boundary=x']

const method = fc.constantFrom(...HTTP_METHODS).chain(m => fc.constantFrom(m, m.toLowerCase()))
// Paths as the router hands them over: normalised.
const path = fc.webPath().map(p => normalizePath(p.startsWith('/') ? p : `/${p}`)).filter(r => r.ok).map(r => (r as { path: string }).path)
const queryPairs = fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 8 })), { maxLength: 5 })
const tokenName = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/).filter(n => n !== 'cookie' && n !== 'content-type')
const headers = fc.dictionary(tokenName, fc.oneof(fc.string({ maxLength: 16 }), fc.array(fc.string({ maxLength: 8 }), { minLength: 1, maxLength: 3 })), { maxKeys: 6 })
const cookie = fc.tuple(fc.stringMatching(/^[A-Za-z0-9_]{1,8}$/), fc.stringMatching(/^[A-Za-z0-9_]{0,8}$/)).map(([k, v]) => `${k}=${v}`)
const body = fc.oneof(
  fc.constant(undefined),
  fc.uint8Array({ maxLength: 64 }).map(b => Buffer.from(b)),
  fc.string({ unit: 'grapheme', maxLength: 32 }).map(s => Buffer.from(s, 'utf8'))
)
const sourceIp = fc.oneof(fc.ipV4(), fc.ipV6(), fc.constant(''))

const request = fc.record({
  method,
  rawPath: path,
  query: queryPairs,
  headers,
  cookies: fc.array(cookie, { maxLength: 3 }),
  contentType: fc.option(fc.constantFrom(...TEXTUAL, ...BINARY), { nil: undefined }),
  body,
  sourceIp,
  timeEpochMs: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  requestId: fc.uuid()
}).map(r => {
  const rawQueryString = r.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')
  const input: LambdaRequestInput = {
    method: r.method,
    rawPath: r.rawPath,
    rawQueryString,
    headers: {
      ...r.headers,
      ...(r.contentType === undefined ? {} : { 'content-type': r.contentType }),
      ...(r.cookies.length === 0 ? {} : { cookie: r.cookies.join('; ') })
    },
    body: r.body,
    sourceIp: r.sourceIp,
    routeKey: `${r.method.toUpperCase()} /fuzz/{proxy+}`,
    pathParameters: {},
    stage: 'dev',
    requestId: r.requestId,
    timeEpochMs: r.timeEpochMs,
    domainName: 'gw.test'
  }
  return { input, query: r.query, cookies: r.cookies }
})

t.test('every event validates against Powertools\' APIGatewayProxyEventV2Schema', async t => {
  checkProperty(t, 'schema-valid', fc.property(request, ({ input }) => {
    const parsed = APIGatewayProxyEventV2Schema.safeParse(toHttpApiEvent(input))
    if (!parsed.success) throw new Error(parsed.error.message)
    return true
  }), PROPERTIES, 1000)
})

t.test('path, query, body and base64 round-trip', async t => {
  checkProperty(t, 'round trip', fc.property(request, ({ input, query }) => {
    const event = toHttpApiEvent(input)
    const sent = input.body ?? Buffer.alloc(0)
    const received = event.body === undefined ? Buffer.alloc(0) : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8')
    const expected = new Map<string, string>()
    for (const [k, v] of query) expected.set(k, expected.has(k) ? `${expected.get(k) ?? ''},${v}` : v)
    const params = event.queryStringParameters ?? {}
    return event.rawPath === input.rawPath && event.requestContext.http.path === input.rawPath &&
      event.rawQueryString === input.rawQueryString && received.equals(sent) &&
      JSON.stringify(params) === JSON.stringify(Object.fromEntries(expected)) &&
      JSON.stringify(parseQueryString(input.rawQueryString) ?? {}) === JSON.stringify(params)
  }), PROPERTIES)
})

t.test('headers are lower-case strings, repeats joined with commas; cookies move to `cookies`', async t => {
  checkProperty(t, 'headers and cookies', fc.property(request, ({ input, cookies }) => {
    const event = toHttpApiEvent(input)
    const headersOk = Object.entries(input.headers).every(([name, value]) =>
      name === 'cookie' ? !('cookie' in event.headers) : event.headers[name] === [value].flat().join(','))
    return headersOk && JSON.stringify(event.cookies ?? []) === JSON.stringify(cookies)
  }), PROPERTIES)
})

t.test('the event is plain JSON: a JSON round trip leaves it unchanged', async t => {
  checkProperty(t, 'JSON round trip', fc.property(request, ({ input }) => {
    const event = toHttpApiEvent(input)
    return JSON.stringify(JSON.parse(JSON.stringify(event))) === JSON.stringify(event) &&
      event.requestContext.http.method === input.method.toUpperCase()
  }), PROPERTIES)
})
