// Raw-socket mutational fuzzing of the whole gateway (issue 14): request lines, methods, paths
// (traversal, encodings), headers (duplicates, obs-fold, CR/LF/NUL, underscores, huge),
// framing (TE/CL combinations, chunk sizes, trailers, smuggled tails) and bodies, each case sent
// over net.Socket to the real server process (raw-child.ts) in front of a recording upstream.
// After every case the oracle (raw-oracle.ts) must hold and the process must be alive with
// nothing caught by its last line of defence.
//
// Bounded: FUZZ_SECONDS (default 20: well under 60 s on a loaded 2-core box, startup included)
// and FUZZ_SEED (default 1414, printed) make a CI run deterministic in its cases; `npm run fuzz`
// runs all of test/fuzz for longer. A failing case is written to the test dir and printed in the
// crash-corpus format: add it to test/fixtures/fuzz-crashes/ (replayed by raw-crash-corpus.test.ts).
import t from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sendRaw, startRecordingUpstream } from '../helpers/raw-http.js'
import { startLambdaRuntime } from '../../lambdas/runtime/start.js'
import { REAL_TEMPLATE } from '../helpers/lambda-runtime.js'
import { startGatewayChild } from './raw-child.js'
import { nextCase, prng, render } from './raw-mutators.js'
import { createOracle } from './raw-oracle.js'

const SECONDS = Number(process.env.FUZZ_SECONDS ?? 20)
const SEED = Number(process.env.FUZZ_SEED ?? 1414)

t.setTimeout((SECONDS + 90) * 1000)

t.test(`raw HTTP fuzz: seed ${SEED}, ${SECONDS} s`, async (t) => {
  t.comment(`FUZZ_SEED=${SEED} FUZZ_SECONDS=${SECONDS}`)
  const upstream = await startRecordingUpstream(t)
  const runtime = await startLambdaRuntime({ templatePath: REAL_TEMPLATE, port: 0, host: '127.0.0.1' })
  t.teardown(() => runtime.close())
  const gw = await startGatewayChild(t, { legacyUrl: upstream.url, lambdaUrl: runtime.url })
  const oracle = createOracle()
  // Warm every route up (first calls compile code paths and open pooled connections).
  for (const path of ['/api/budgets/1', '/api/users/1', '/api/projects', '/api/other']) {
    await sendRaw(gw.url, [`GET ${path} HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n`], { idleMs: 5000 })
  }
  upstream.requests.length = 0
  const rand = prng(SEED)
  const deadline = Date.now() + SECONDS * 1000
  const failures: string[] = []
  let cases = 0
  const notes = new Map<string, number>()
  while (Date.now() < deadline && failures.length === 0) {
    const draft = nextCase(rand, cases)
    const bytes = render(draft)
    const from = upstream.requests.length
    const exchange = await sendRaw(gw.url, [Buffer.from(bytes, 'latin1')], { idleMs: 300 })
    // Anything the gateway still forwards for this case lands now (the upstream answers at once).
    await new Promise(resolve => setTimeout(resolve, 5))
    const problems = oracle.check(exchange, upstream.requests.slice(from), draft.marker, String(cases))
    if (!gw.alive()) problems.push('the gateway process exited')
    if (gw.caught().length > 0) problems.push(`the last line of defence caught: ${gw.caught().join('\n')}`)
    if (cases % 100 === 99 && await gw.internalErrors() > 0) problems.push('gateway_internal_errors_total > 0')
    for (const n of draft.notes) notes.set(n, (notes.get(n) ?? 0) + 1)
    if (problems.length > 0) {
      const file = join(t.testdir(), `crash-${SEED}-${cases}.txt`)
      const corpus = `# seed ${SEED} case ${cases}: ${draft.notes.join(', ')}\n# ${problems.join('; ')}\n${JSON.stringify(bytes)}\n`
      writeFileSync(file, corpus)
      failures.push(`case ${cases} (${draft.notes.join(', ')}): ${problems.join('; ')}\n${corpus}responses: ${JSON.stringify(exchange.bytes.toString('latin1').slice(0, 2000))}`)
    }
    cases++
  }
  t.comment(`${cases} cases in ${SECONDS} s; mutations used: ${JSON.stringify(Object.fromEntries(notes))}`)
  for (const f of failures) t.comment(f)
  t.same(failures, [], `every invariant held for ${cases} cases (seed ${SEED})`)
  t.ok(oracle.slowAnswers() <= Math.max(3, cases / 100), `answers slower than the client waited: ${oracle.slowAnswers()}`)
  t.ok(gw.alive(), 'the gateway process is alive')
  t.equal(await gw.internalErrors(), 0, 'gateway_internal_errors_total is 0')
  const health = await gw.admin('/healthz')
  t.equal(health.status, 200, 'healthz')
  const next = await sendRaw(gw.url, ['GET /api/budgets/1 HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n'])
  t.same(next.statuses, [200], 'and it still serves')
  t.ok(cases > 50, `enough cases ran (${cases})`)
  if (failures.length > 0) t.comment(gw.tail())
})
