// bench/results/<scenario>.json carries the raw data with machine, Node, date, scale and rounds.
import t from 'tap'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { metaOf, resultFile, writeResult } from '../../bench/lib/results.js'
import { benchRounds, benchScale, scaled } from '../../bench/lib/scale.js'
import { markdownTable } from '../../bench/lib/table.js'

t.test('result file shape', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-result-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  const meta = metaOf({ scale: 0.3, rounds: 3, pinning: { description: 'none' } as never })
  const file = resultFile('demo', { contenders: [{ name: 'direct', rps: 1 }] }, meta, new Date('2026-01-02T03:04:05Z'))
  const path = writeResult(dir, file)
  t.equal(path, join(dir, 'demo.json'))
  const back = JSON.parse(readFileSync(path, 'utf8'))
  t.equal(back.scenario, 'demo')
  t.equal(back.date, '2026-01-02T03:04:05.000Z')
  t.equal(back.scale, 0.3)
  t.equal(back.rounds, 3)
  t.equal(back.node, process.version)
  t.equal(back.pinning, 'none')
  t.type(back.machine, 'object')
  t.ok(Object.keys(back.machine).length > 0, 'machine info present')
  t.same(back.data, { contenders: [{ name: 'direct', rps: 1 }] })
})

t.test('BENCH_SCALE and BENCH_ROUNDS', async t => {
  t.equal(benchScale({}), 1)
  t.equal(benchScale({ BENCH_SCALE: '0.1' }), 0.1)
  t.throws(() => benchScale({ BENCH_SCALE: 'x' }))
  t.throws(() => benchScale({ BENCH_SCALE: '0' }))
  t.equal(scaled(15, 0.1), 1.5)
  t.equal(scaled(5, 0.1), 1, 'never below the minimum')
  t.equal(benchRounds({}), 3)
  t.equal(benchRounds({ BENCH_ROUNDS: '5' }), 5)
})

t.test('markdown table aligns columns', async t => {
  const out = markdownTable(['a', 'bb'], [[1, 'x'], [null, 2.5]]).split('\n')
  t.equal(out.length, 4)
  t.match(out[3], /\| – +\| 2\.50 \|/)
  t.equal(new Set(out.map(l => l.length)).size, 1, 'every line has the same width')
})
