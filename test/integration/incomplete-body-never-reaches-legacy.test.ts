// Issue 14 item 4: a request whose body is not complete and valid never starts at legacy. A
// recording upstream (it keeps every request it saw, aborted ones too) stands in for legacy
// behind the shipped config: a bad chunked trailer, a client stalling mid Content-Length and a
// request pipelined behind a 400 that closes the connection must leave it empty.
import t from 'tap'
import type { Test } from 'tap'
import { sendRaw, startRecordingUpstream, startShippedStack } from '../helpers/raw-http.js'
import type { RecordingUpstream } from '../helpers/raw-http.js'

const BODY_TIMEOUT_MS = 300

async function world (t: Test): Promise<{ upstream: RecordingUpstream, url: string }> {
  const upstream = await startRecordingUpstream(t)
  const stack = await startShippedStack(t, upstream.url, t.testdir(), { server: { bodyTimeoutMs: BODY_TIMEOUT_MS } })
  return { upstream, url: stack.gateway.url }
}

function problemOf (bytes: Buffer): { code?: string, status?: number, requestId?: string } {
  const text = bytes.toString('latin1')
  const start = text.indexOf('{"type"')
  return start === -1 ? {} : JSON.parse(text.slice(start, text.indexOf('}', start) + 1)) as { code?: string }
}

t.test('a chunked body with a bad trailer: 400 problem+json, legacy never sees it', async (t) => {
  const { upstream, url } = await world(t)
  for (const path of ['/api/projects', '/api/anything', '/api/billings']) {
    for (const trailer of ['Bad Trailer', 'X-T: a\u0000b', ' folded: x']) {
      const res = await sendRaw(url, [`POST ${path} HTTP/1.1\r\nHost: gw.test\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n${trailer}\r\n\r\n`])
      t.same(res.statuses, [400], `${path} ${JSON.stringify(trailer)}: 400`)
      t.equal(res.heads[0]?.['content-type'], 'application/problem+json')
      t.match(problemOf(res.bytes), { status: 400, requestId: /\S/ })
      t.ok(res.closed, 'the connection is closed')
    }
  }
  t.same(upstream.requests, [], 'legacy saw no request at all')
  t.equal(upstream.unparsed, 0)
})

t.test('a client stalling mid Content-Length: 408 problem+json after bodyTimeoutMs, nothing at legacy', async (t) => {
  const { upstream, url } = await world(t)
  for (const path of ['/api/projects', '/api/anything', '/api/billings']) {
    const started = Date.now()
    const res = await sendRaw(url, [`POST ${path} HTTP/1.1\r\nHost: gw.test\r\nContent-Type: application/json\r\nIdempotency-Key: k-${path.length}\r\nContent-Length: 100\r\n\r\n{"half":`], { idleMs: 5000 })
    t.same(res.statuses, [408], `${path}: 408`)
    t.match(problemOf(res.bytes), { code: 'GW_ERR_REQUEST_BODY_TIMEOUT', status: 408 })
    t.equal(res.heads[0]?.connection, 'close')
    t.ok(res.closed, 'the gateway closed the connection')
    t.ok(Date.now() - started >= BODY_TIMEOUT_MS - 20, 'not before the timeout')
  }
  t.same(upstream.requests, [], 'legacy saw no request at all')
})

t.test('after a 400 with connection: close, a pipelined request is not forwarded', async (t) => {
  const { upstream, url } = await world(t)
  const pipelined = 'GET /api/budgets/1 HTTP/1.1\r\nHost: gw.test\r\n\r\n'
  const refused = [
    'POST /api/%2e%2e/projects HTTP/1.1\r\nHost: gw.test\r\nContent-Length: 5\r\n\r\nhello',
    'POST /api/projects/..%2f..%2fadmin HTTP/1.1\r\nHost: gw.test\r\nContent-Length: 2\r\n\r\n{}',
    'PUT /api/%zz HTTP/1.1\r\nHost: gw.test\r\nContent-Length: 3\r\n\r\nabc'
  ]
  for (const first of refused) {
    const res = await sendRaw(url, [first + pipelined + pipelined])
    t.equal(res.statuses[0], 400, `${first.split('\r\n')[0]}: 400`)
    t.equal(res.heads[0]?.connection, 'close')
    t.same(res.statuses.slice(1), [], 'nothing answered behind it')
  }
  t.same(upstream.requests.map(r => `${r.method} ${r.url}`), [], 'legacy saw none of the pipelined requests')
  const ok = await sendRaw(url, [pipelined.replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n')])
  t.same(ok.statuses, [200], 'a fresh connection is served')
})
