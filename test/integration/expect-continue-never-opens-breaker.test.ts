// Issue 14 item 2: `Expect: 100-continue` (curl over 1 KB, .NET HttpClient by default) reached
// undici, which refuses the header: 502 GW_ERR_LEGACY_UNAVAILABLE, and 20 of them opened the
// legacy breaker for everyone. A client's own request is never an upstream failure: 1,000
// requests with Expect and with broken bodies, against the shipped config and the real legacy
// stub, leave every breaker closed and legacy serving.
import t from 'tap'
import { adminJson, sendRaw, startShippedStack } from '../helpers/raw-http.js'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'

const project = (i: number): string => JSON.stringify({ Name: 'Expect test', Code: `PRJ-${String(i).padStart(4, '0')}`, OwnerId: 1 })

function expectRequest (i: number): string {
  const body = i % 2 === 0 ? project(i) : project(i).padEnd(1500, ' ')
  return `POST /api/Projects HTTP/1.1\r\nHost: gw.test\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
}

const BROKEN = [
  'POST /api/Projects HTTP/1.1\r\nHost: gw.test\r\nExpect: 100-continue\r\nContent-Length: 1000\r\n\r\n0123456789',
  'POST /api/Projects HTTP/1.1\r\nHost: gw.test\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n',
  'POST /api/Billings/x HTTP/1.1\r\nHost: gw.test\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n',
  'PUT /api/Users/1 HTTP/1.1\r\nHost: gw.test\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel'
]

t.test('1,000 Expect: 100-continue and broken-body requests leave every breaker closed', async (t) => {
  const stub = await startTestLegacyStub(t, { latencyMs: 1 })
  const stack = await startShippedStack(t, stub.url, t.testdir())
  const url = stack.gateway.url
  const statuses = new Map<number, number>()
  const count = (s: number): void => { statuses.set(s, (statuses.get(s) ?? 0) + 1) }
  let servedByLegacy = 0
  // 63 rounds of 8 Expect requests and 8 broken ones, 16 connections at a time.
  const ROUND = [0, 1, 2, 3, 4, 5, 6, 7]
  for (let i = 0; i < 1000; i += 16) {
    const expects = ROUND.map(k => sendRaw(url, [expectRequest(i + k)], { idleMs: 2000 }))
    const broken = ROUND.map(k => sendRaw(url, [BROKEN[k % BROKEN.length] as string], { idleMs: 50, hangUpAfterWrite: (i / 16 + k) % 2 === 0 }))
    for (const res of await Promise.all(expects)) {
      for (const s of res.statuses) count(s)
      if (res.heads[0]?.['x-gateway-target'] === 'legacy' && res.statuses[0] === 201) servedByLegacy++
    }
    for (const res of await Promise.all(broken)) for (const s of res.statuses) count(s)
  }
  const fiveHundreds = [...statuses].filter(([s]) => s >= 500)
  t.same(fiveHundreds, [], `no 5xx for a client's own request (statuses: ${JSON.stringify([...statuses])})`)
  t.ok(servedByLegacy > 250, `Expect requests are served by legacy: 201 Created (${servedByLegacy})`)
  const { breakers } = await adminJson(stack.gateway, '/admin/breakers') as { breakers: Array<{ name: string, state: string, stats: { failures: number } }> }
  t.ok(breakers.length > 0, 'the breakers are listed')
  for (const b of breakers) {
    t.equal(b.state, 'closed', `breaker ${b.name} closed`)
    t.equal(b.stats.failures, 0, `breaker ${b.name} counted no failure`)
  }
  const budget = await fetch(`${url}/api/Budgets/1`)
  t.equal(budget.status, 200, 'legacy still serves')
  t.equal(budget.headers.get('x-gateway-target'), 'legacy')
  await budget.arrayBuffer()
  if (fiveHundreds.length > 0) t.comment(stack.logs().slice(-20_000))
})
