// The distributed-state bench scenario at a tiny scale: two real gateway replicas (child
// processes) per mode against the real Redis, the result JSON written with machine info and
// every figure present, the shared mode actually on Redis.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { distributedState } from '../../bench/scenarios/distributed.js'
import type { ModeFigures } from '../../bench/scenarios/distributed.js'
import type { MicroFigures } from '../../bench/lib/distributed-micro.js'
import { detectPinning } from '../../bench/lib/pinning.js'

t.test('distributed-state at scale 0.05: both modes, µs per decision, result file', async t => {
  const resultsDir = mkdtempSync(join(tmpdir(), 'bench-dist-smoke-'))
  t.teardown(() => { rmSync(resultsDir, { recursive: true, force: true }) })
  const lines: string[] = []
  const outcome = await distributedState({ scale: 0.05, rounds: 1, pinning: { ...detectPinning(), enabled: false }, resultsDir, nginx: undefined, profile: 'never', log: l => { lines.push(l) } })
  t.equal(outcome.scenario, 'distributed-state')
  t.match(outcome.table, /in-memory[\s\S]*redis[\s\S]*rate check[\s\S]*permit/)
  const file = JSON.parse(readFileSync(join(resultsDir, 'distributed-state.json'), 'utf8')) as { scenario: string, machine: { cpus: number }, data: { modes: ModeFigures[], micro: { rows: MicroFigures[] } } }
  t.equal(file.scenario, 'distributed-state')
  t.ok(file.machine.cpus >= 1, 'machine info recorded')
  const [memory, redis] = file.data.modes
  t.same(memory?.stateModes, ['file', 'file'], 'in-memory: each replica its own state')
  t.same(redis?.stateModes, ['redis', 'redis'], 'redis: both replicas on the shared state')
  for (const m of file.data.modes) {
    t.ok(m.median.rps > 0, `${m.mode}: ${m.median.rps} req/s`)
    t.ok(m.median.p50 <= m.median.p99, `${m.mode}: p50 ${m.median.p50} <= p99 ${m.median.p99} ms`)
  }
  for (const r of file.data.micro.rows) {
    t.ok(r.memoryUs > 0 && r.redisUs > r.memoryUs, `${r.operation}: ${r.memoryUs} µs in memory < ${r.redisUs} µs through Redis`)
    t.ok(r.redisConcurrentPerS > 0)
  }
  t.comment(outcome.table)
})
