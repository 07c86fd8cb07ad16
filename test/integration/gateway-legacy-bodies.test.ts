// Bodies, query strings and cookies through the legacy target: bytes pass untouched both ways
// (the gateway never parses JSON), a few MB stream through with equal hashes, a body over
// server.bodyLimitBytes is refused with 413 (declared or chunked), repeated query keys and
// cookies arrive exactly as sent, several Set-Cookie headers come back intact.
import t from 'tap'
import { createHash, randomBytes } from 'node:crypto'
import { Readable } from 'node:stream'
import { request } from 'undici'
import { echoHandler, rawRequest, startOrigin, startTestGateway, testConfig } from '../helpers/gateway.js'

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

t.test('a 4 MB binary upload and a 4 MB download stream through unchanged', async (t) => {
  const payload = randomBytes(4 * 1024 * 1024)
  let receivedHash = ''
  const origin = await startOrigin(t, (_req, res, body) => {
    receivedHash = sha(body)
    res.writeHead(200, { 'content-type': 'application/octet-stream' })
    res.end(body.subarray().reverse())
  })
  const gw = await startTestGateway(t, testConfig({ legacy: { url: origin.url } }))
  const res = await request(`${gw.url}/api/Projects/upload`, {
    method: 'POST', body: payload, headers: { 'content-type': 'application/octet-stream' }
  })
  const back = Buffer.from(await res.body.arrayBuffer())
  t.equal(res.statusCode, 200)
  t.equal(receivedHash, sha(payload), 'legacy received the exact bytes')
  t.equal(sha(back), sha(Buffer.from(payload).reverse()), 'the client received the exact bytes')
})

t.test('malformed JSON and binary with a JSON content-type are not parsed', async (t) => {
  const origin = await startOrigin(t, echoHandler())
  const gw = await startTestGateway(t, testConfig({ legacy: { url: origin.url } }))
  const weird = Buffer.from([0x7b, 0x00, 0xff, 0xfe, 0x22]) // '{', NUL, invalid UTF-8, '"'
  const res = await request(`${gw.url}/api/Projects`, { method: 'POST', body: weird, headers: { 'content-type': 'application/json' } })
  const echo = await res.body.json() as { body: string, headers: Record<string, string> }
  t.equal(res.statusCode, 200)
  t.same(Buffer.from(echo.body, 'base64'), weird)
  t.equal(echo.headers['content-type'], 'application/json')
  t.equal(echo.headers['content-length'], '5')
})

t.test('a declared body over bodyLimitBytes → 413 before anything is forwarded', async (t) => {
  const origin = await startOrigin(t, echoHandler())
  const gw = await startTestGateway(t, testConfig({ legacy: { url: origin.url }, server: { bodyLimitBytes: 1024 } }))
  const res = await request(`${gw.url}/api/Billings`, {
    method: 'POST', body: Buffer.alloc(1025, 1), headers: { 'content-type': 'application/json', 'x-request-id': 'r-413' }
  })
  t.equal(res.statusCode, 413)
  t.same(await res.body.json(), {
    type: 'urn:strangler-gateway:problem:request-payload-too-large',
    title: 'Payload Too Large',
    status: 413,
    detail: 'request body exceeds the limit of 1024 bytes',
    code: 'GW_ERR_REQUEST_PAYLOAD_TOO_LARGE',
    requestId: 'r-413'
  })
  t.equal(origin.requests(), 0)
  const metrics = await (await request(`${gw.adminUrl}/metrics`)).body.text()
  t.match(metrics, /gateway_rejections_total\{route="default",reason="payload_too_large"\} 1/)
})

t.test('a chunked body that grows past bodyLimitBytes → 413', async (t) => {
  const origin = await startOrigin(t, echoHandler())
  const gw = await startTestGateway(t, testConfig({ legacy: { url: origin.url }, server: { bodyLimitBytes: 64 * 1024 } }))
  const chunks = Array.from({ length: 8 }, () => Buffer.alloc(16 * 1024, 7))
  const res = await request(`${gw.url}/api/Billings`, { method: 'POST', body: Readable.from(chunks) })
  t.equal(res.statusCode, 413)
  const body = await res.body.json() as { code: string }
  t.equal(body.code, 'GW_ERR_REQUEST_PAYLOAD_TOO_LARGE')
})

t.test('repeated query keys and odd query bytes are forwarded verbatim', async (t) => {
  const origin = await startOrigin(t, echoHandler())
  const gw = await startTestGateway(t, testConfig({ legacy: { url: origin.url } }))
  const query = 'tag=a&tag=b&tag=&empty&x=%20y&plus=a+b&uni=%C3%A9'
  const res = await rawRequest(`${gw.url}/api/Billings?${query}`)
  const echo = JSON.parse(res.body.toString()) as { url: string }
  t.equal(echo.url, `/api/Billings?${query}`)
})

t.test('cookies go up as sent; several Set-Cookie headers come back', async (t) => {
  const origin = await startOrigin(t, (req, res, body) => {
    res.setHeader('set-cookie', ['a=1; Path=/; HttpOnly', 'b=2; Path=/; Secure'])
    echoHandler()(req, res, body)
  })
  const gw = await startTestGateway(t, testConfig({ legacy: { url: origin.url } }))
  const res = await rawRequest(`${gw.url}/api/Budgets/3`, { headers: { cookie: 'session=abc; theme=dark' } })
  const echo = JSON.parse(res.body.toString()) as { headers: Record<string, string> }
  t.equal(echo.headers.cookie, 'session=abc; theme=dark')
  t.same(res.headers['set-cookie'], ['a=1; Path=/; HttpOnly', 'b=2; Path=/; Secure'])
})
