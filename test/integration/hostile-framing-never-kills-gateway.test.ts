// Issue 14 item 1: one malformed request used to kill the process (an unhandled 'error' on the
// body-limiting stream). Each raw request of the issue, against the shipped config: the client
// gets a problem+json 4xx (or the connection is closed), the gateway process is still here (this
// test runs it in-process: an unhandled 'error' would fail the test run), nothing reached legacy
// for a request the gateway refused, and the next request is served.
import t from 'tap'
import { adminJson, sendRaw, startRecordingUpstream, startShippedStack } from '../helpers/raw-http.js'

const TE_VALUES = ['xchunked', '"chunked"', 'chunk', 'chunked;q=1', 'identity', 'gzip']
const BAD_SIZES = ['5 ', '-5', '0x5', 'ffffffffffffffff5', `5;${'x'.repeat(20 * 1024)}`]
const ROUTES = ['/api/users', '/api/users/1', '/api/projects', '/api/projects/1', '/api/budgets/1', '/api/projects', '/api/billings', '/api/anything/else']

function cases (): Array<{ name: string, bytes: string }> {
  const out: Array<{ name: string, bytes: string }> = []
  const req = (method: string, path: string, headers: string, body: string): string =>
    `${method} ${path} HTTP/1.1\r\nHost: gw.test\r\n${headers}\r\n${body}`
  for (const te of TE_VALUES) {
    for (const path of ['/api/users', '/api/projects', '/api/else']) {
      out.push({ name: `POST ${path} TE: ${te}`, bytes: req('POST', path, `Transfer-Encoding: ${te}\r\n`, '0\r\n\r\n') })
    }
  }
  for (const size of BAD_SIZES) {
    out.push({ name: `chunk size ${JSON.stringify(size.slice(0, 20))}`, bytes: req('POST', '/api/projects', 'Transfer-Encoding: chunked\r\n', `${size}\r\nhello\r\n0\r\n\r\n`) })
  }
  for (const method of ['PUT', 'DELETE', 'OPTIONS']) {
    for (const path of ROUTES) {
      out.push({ name: `${method} ${path} TE: xchunked`, bytes: req(method, path, 'Transfer-Encoding: xchunked\r\n', '0\r\n\r\n') })
      out.push({ name: `${method} ${path} bad chunk`, bytes: req(method, path, 'Transfer-Encoding: chunked\r\n', '-5\r\nhello\r\n0\r\n\r\n') })
    }
  }
  return out
}

t.test('every malformed framing of issue 14 is refused and the gateway keeps serving', async (t) => {
  const upstream = await startRecordingUpstream(t)
  const stack = await startShippedStack(t, upstream.url, t.testdir())
  const url = stack.gateway.url
  let failures = 0
  for (const c of cases()) {
    const before = upstream.requests.length
    const res = await sendRaw(url, [c.bytes], { idleMs: 500 })
    const ok = res.statuses.every(s => s >= 400 && s < 500) && res.heads.every(h => h['content-type'] === 'application/problem+json')
    if (!t.ok(ok, `${c.name}: 4xx problem+json or closed (got ${res.statuses.join(',') || 'nothing'})`)) failures++
    t.equal(upstream.requests.length, before, `${c.name}: nothing reached legacy`)
    // The probe goes to a Lambda route: 216 probes to legacy in well under a second would drain
    // the shipped legacy rate limit (200/s, burst 50) on a quiet machine and get a correct 429.
    const next = await sendRaw(url, ['GET /api/users/1 HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n'])
    if (!t.same(next.statuses, [200], `${c.name}: the next request is served`)) failures++
  }
  const metrics = await (await fetch(`${stack.gateway.adminUrl}/metrics`)).text()
  t.notMatch(metrics, /gateway_internal_errors_total\{[^}]*\} [1-9]/, 'no internal error was caught')
  const breakers = await adminJson(stack.gateway, '/admin/breakers') as { breakers: Array<{ name: string, state: string }> }
  t.ok(breakers.breakers.every(b => b.state === 'closed'), 'every breaker closed')
  if (failures > 0) t.comment(stack.logs().slice(-20_000))
})

t.test('all legacy permits taken, a POST sends 10 of 1000 bytes and hangs up: nothing breaks', async (t) => {
  const upstream = await startRecordingUpstream(t)
  upstream.delayMs = 800
  const stack = await startShippedStack(t, upstream.url, t.testdir())
  const url = stack.gateway.url
  // Eight slow GETs hold the eight legacy permits (maxConcurrency: 8 in config/gateway.yaml).
  const holders = Array.from({ length: 8 }, () => sendRaw(url, ['GET /api/budgets/1 HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n'], { idleMs: 3000 }))
  const deadline = Date.now() + 5000
  while (upstream.requests.length < 8 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 10))
  t.equal(upstream.requests.length, 8, 'the eight permits are taken')
  for (const path of ['/api/projects', '/api/else', '/api/users/1']) {
    await sendRaw(url, [`POST ${path} HTTP/1.1\r\nHost: gw.test\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n0123456789`], { hangUpAfterWrite: true })
  }
  const held = await Promise.all(holders)
  t.same(held.map(h => h.statuses[0]), Array(8).fill(200), 'the permit holders were served')
  t.equal(upstream.requests.length, 8, 'no cut-off POST reached legacy')
  upstream.delayMs = 0
  const next = await sendRaw(url, ['POST /api/projects HTTP/1.1\r\nHost: gw.test\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}'])
  t.same(next.statuses, [200], 'the gateway still serves a POST')
  t.equal(upstream.requests.at(-1)?.body.toString(), '{}')
})
