import t from 'tap'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resultFile, writeResult } from '../../bench/lib/results.js'
import { markdownTable } from '../../bench/lib/table.js'

t.test('a result file carries the figures, the machine, Node, the date and the scale', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-json-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = resultFile('overhead-legacy', { rps: 123 }, { scale: 0.2, rounds: 3, pinning: 'off' }, new Date('2026-11-28T08:00:00Z'))
  const path = writeResult(dir, file)
  t.equal(path, join(dir, 'overhead-legacy.json'))
  const read = JSON.parse(readFileSync(path, 'utf8')) as typeof file
  t.equal(read.scenario, 'overhead-legacy')
  t.equal(read.date, '2026-11-28T08:00:00.000Z')
  t.equal(read.scale, 0.2)
  t.equal(read.rounds, 3)
  t.equal(read.node, process.version)
  t.equal(read.pinning, 'off')
  t.same(read.data, { rps: 123 })
  t.ok(read.machine.cpus >= 1)
  t.type(read.machine.model, 'string')
  t.ok(read.machine.memoryGiB > 0)
})

t.test('the printed table is Markdown with aligned columns and dashes for missing figures', async t => {
  const table = markdownTable(['name', 'req/s', 'ratio'], [['direct', 1000, 1], ['gateway', 812.5, Number.NaN], ['x', null, 0.123]])
  const lines = table.split('\n')
  t.equal(lines.length, 5)
  t.match(lines[1], /^\|-+\|-+\|-+\|$/)
  t.ok(lines.every(l => l.length === (lines[0] as string).length), 'columns aligned')
  t.match(lines[3], /gateway .*\| 812\.5 .*\| –/)
  t.match(lines[4], /0\.12/)
})
