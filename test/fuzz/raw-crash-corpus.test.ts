// Every crash or invariant break the raw-HTTP fuzzing (and the hand-written issue 14 cases) ever
// found, replayed: test/fixtures/fuzz-crashes/*.txt, one raw request per file ('#' lines say
// where it came from; `# expect-status: 400` pins the answer; the bytes are one JSON string).
// Each must leave the gateway alive and serving with the fuzzer's invariants intact.
import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sendRaw, startRecordingUpstream, startShippedStack } from '../helpers/raw-http.js'
import type { RawExchange } from '../helpers/raw-http.js'
import { createOracle } from './raw-oracle.js'

const DIR = fileURLToPath(new URL('../fixtures/fuzz-crashes/', import.meta.url))

interface CorpusCase { name: string, bytes: string, expectStatus: number[] | undefined, caseId: string }

function loadCorpus (): CorpusCase[] {
  return readdirSync(DIR).filter(f => f.endsWith('.txt')).sort().map((name) => {
    const lines = readFileSync(join(DIR, name), 'utf8').split('\n')
    const pinned = lines.find(l => l.startsWith('# expect-status:'))
    const bytes = JSON.parse(lines.find(l => l.startsWith('"')) ?? '""') as string
    return {
      name,
      bytes,
      expectStatus: pinned === undefined ? undefined : pinned.slice('# expect-status:'.length).split(',').map(s => Number(s.trim())),
      caseId: /x-fuzz-case: ([^\r\n]+)/.exec(bytes)?.[1] ?? name
    }
  })
}

t.test('the crash corpus replays without a crash or a broken invariant', async (t) => {
  const corpus = loadCorpus()
  t.ok(corpus.length >= 7, `${corpus.length} corpus cases`)
  const upstream = await startRecordingUpstream(t)
  const stack = await startShippedStack(t, upstream.url, t.testdir())
  const oracle = createOracle()
  let accepted = 0
  for (const c of corpus) {
    const from = upstream.requests.length
    const res = await sendRaw(stack.gateway.url, [Buffer.from(c.bytes, 'latin1')], { idleMs: 1000 })
    accepted += res.statuses.filter(s => s === 202).length
    t.same(oracle.check(res, upstream.requests.slice(from), `fz${c.caseId}q`, c.caseId), [], `${c.name}: every invariant holds (${res.statuses.join(',') || 'no answer'})`)
    if (c.expectStatus) t.same(res.statuses, c.expectStatus, `${c.name}: answered ${c.expectStatus.join(',')}`)
    const next = await sendRaw(stack.gateway.url, ['GET /api/budgets/1 HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n'])
    t.same(next.statuses, [200], `${c.name}: the gateway still serves`)
  }
  // Accepted jobs are delivered by the worker a moment later: they too must be jobs the gateway accepted.
  const from = upstream.requests.length
  const deadline = Date.now() + 5000
  const deliveries = (): number => upstream.requests.filter(r => r.method === 'POST' && /^\/api\/billings/i.test(r.url)).length
  while (deliveries() < accepted && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20))
  t.equal(deliveries(), accepted, 'every accepted job was delivered once')
  const none: RawExchange = { bytes: Buffer.alloc(0), statuses: [], heads: [], closed: true }
  t.same(oracle.check(none, upstream.requests.slice(from), 'fz-late-q', 'late'), [], 'late deliveries hold the invariants too')
})
