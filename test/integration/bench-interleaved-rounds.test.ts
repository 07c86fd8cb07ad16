// overhead-legacy takes its rounds in turn across contenders (measureInterleaved): round i of
// every contender before round i+1 of any, warm-ups first, and figures kept per contender.
import t from 'tap'
import { startOrigin } from '../../bench/lib/origin.js'
import { measureInterleaved } from '../../bench/lib/measure.js'

t.test('rounds alternate between contenders and figures stay apart', async t => {
  const a = await startOrigin(0)
  const b = await startOrigin(0)
  t.teardown(async () => { await a.close(); await b.close() })
  const lines: string[] = []
  const load = { connections: 2, warmupS: 1, closedS: 1, openRate: 20, openS: 1, rounds: 2, path: '/api/budgets/1' }
  const figures = await measureInterleaved([{ name: 'a', url: a.url }, { name: 'b', url: b.url }], load, m => lines.push(m.trim()))
  t.same(lines.map(l => l.split(':')[0]), [
    'a closed round 1', 'b closed round 1', 'a closed round 2', 'b closed round 2',
    'a open round 1', 'b open round 1', 'a open round 2', 'b open round 2'
  ])
  t.same(figures.map(f => f.name), ['a', 'b'])
  for (const f of figures) {
    t.equal(f.figures.closed.rounds.length, 2)
    t.equal(f.figures.open.rounds.length, 2)
    t.ok(f.figures.closed.median.rps > 20, `${f.name} served ${f.figures.closed.median.rps} req/s`)
    t.equal(f.figures.open.rate, 20)
  }
})
