// A GET's body is read (and discarded) before forwarding only when the request declares one
// (http/raw-body.ts discardUnreadBody): Content-Length above 0 or Transfer-Encoding. Without
// either the request has no body and no reader is set up; pipelined GETs on one keep-alive
// connection are all served. A declared body that stalls is still refused before legacy.
import t from 'tap'
import { sendRaw, startRecordingUpstream, startShippedStack } from '../helpers/raw-http.js'

const BODY_TIMEOUT_MS = 300

t.test('bodyless GETs pipelined on one connection are all forwarded', async (t) => {
  const upstream = await startRecordingUpstream(t)
  const stack = await startShippedStack(t, upstream.url, t.testdir(), { server: { bodyTimeoutMs: BODY_TIMEOUT_MS } })
  const get = 'GET /api/budgets/1 HTTP/1.1\r\nHost: gw.test\r\n\r\n'
  const zero = 'GET /api/budgets/2 HTTP/1.1\r\nHost: gw.test\r\nContent-Length: 0\r\n\r\n'
  const last = 'GET /api/budgets/3 HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n'
  const res = await sendRaw(stack.gateway.url, [get + zero + last])
  t.same(res.statuses, [200, 200, 200])
  t.same(upstream.requests.map(r => r.url), ['/api/budgets/1', '/api/budgets/2', '/api/budgets/3'])
})

t.test('a GET declaring a body that stalls: 408 after bodyTimeoutMs, nothing at legacy', async (t) => {
  const upstream = await startRecordingUpstream(t)
  const stack = await startShippedStack(t, upstream.url, t.testdir(), { server: { bodyTimeoutMs: BODY_TIMEOUT_MS } })
  for (const head of ['Content-Length: 10\r\n\r\nabc', 'Transfer-Encoding: chunked\r\n\r\n5\r\nab']) {
    const started = Date.now()
    const res = await sendRaw(stack.gateway.url, [`GET /api/budgets/1 HTTP/1.1\r\nHost: gw.test\r\n${head}`], { idleMs: 5000 })
    t.same(res.statuses, [408], `${head.split('\r\n')[0]}: 408`)
    t.ok(Date.now() - started >= BODY_TIMEOUT_MS - 20, 'not before the timeout')
  }
  t.same(upstream.requests, [], 'legacy saw no request at all')
})
