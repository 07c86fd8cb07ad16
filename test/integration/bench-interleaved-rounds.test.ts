// overhead-legacy takes its rounds in turn across contenders (measureInterleaved): round i of
// every contender before round i+1 of any, round i starting at contender i mod n, warm-ups
// first, and figures kept per contender; an open round's lead-in stays out of its figures.
import t from 'tap'
import { startOrigin } from '../../bench/lib/origin.js'
import { measureInterleaved, openRound, roundOrder } from '../../bench/lib/measure.js'

t.test('rounds alternate between contenders and figures stay apart', async t => {
  const a = await startOrigin(0)
  const b = await startOrigin(0)
  t.teardown(async () => { await a.close(); await b.close() })
  const lines: string[] = []
  const load = { connections: 2, warmupS: 1, closedS: 1, openRate: 20, openS: 1, openWarmupS: 0.5, rounds: 2, path: '/api/budgets/1' }
  const figures = await measureInterleaved([{ name: 'a', url: a.url }, { name: 'b', url: b.url }], load, m => lines.push(m.trim()))
  t.same(lines.map(l => l.split(':')[0]), [
    'a closed round 1', 'b closed round 1', 'b closed round 2', 'a closed round 2',
    'a open round 1', 'b open round 1', 'b open round 2', 'a open round 2'
  ])
  t.same(figures.map(f => f.name), ['a', 'b'])
  for (const f of figures) {
    t.equal(f.figures.closed.rounds.length, 2)
    t.equal(f.figures.open.rounds.length, 2)
    t.ok(f.figures.closed.median.rps > 20, `${f.name} served ${f.figures.closed.median.rps} req/s`)
    t.equal(f.figures.open.rate, 20)
  }
})

t.test('round i starts at contender i mod n', async t => {
  t.same(roundOrder(['a', 'b', 'c'], 0), ['a', 'b', 'c'])
  t.same(roundOrder(['a', 'b', 'c'], 1), ['b', 'c', 'a'])
  t.same(roundOrder(['a', 'b', 'c'], 2), ['c', 'a', 'b'])
  t.same(roundOrder(['a', 'b', 'c'], 3), ['a', 'b', 'c'])
  t.same(roundOrder([], 4), [])
})

t.test('an open round counts only the requests due after its warm-up, CPU read from then on', async t => {
  const o = await startOrigin(0)
  t.teardown(() => o.close())
  let reads = 0
  const cpu = (): number => { reads++; return reads * 10 }
  const r = await openRound(o.url, '/api/budgets/1', 50, 1, 1, cpu)
  // 2 s at 50/s leave 100 requests; the measured second holds about 50 of them.
  t.ok(r.answered >= 40 && r.answered <= 55, `answered ${r.answered} of the measured second`)
  t.equal(r.errors, 0)
  t.equal(reads, 2, 'CPU read once after the warm-up and once at the end')
  t.equal(r.cpuMs, 10, 'the CPU figure is the difference of those two reads')
  const plain = await openRound(o.url, '/api/budgets/1', 50, 1)
  t.ok(plain.answered >= 40 && plain.answered <= 55, `no warm-up: ${plain.answered}`)
  t.equal(plain.cpuMs, undefined, 'no CPU reader, no CPU figure')
})
