// A FixedHistogram child keeps its series between observations; reset, zero and remove replace
// or drop series, and a child made before them must then count where prom-client's would.
import t from 'tap'
import { Histogram, Registry } from 'prom-client'
import { FixedHistogram } from '../../gateway/src/ops/fixed-histogram.js'

t.test('children made before reset, zero and remove count like prom-client\'s', async t => {
  const plainReg = new Registry()
  const fixedReg = new Registry()
  const base = { name: 'h_seconds', help: 'h', labelNames: ['route', 'target'], buckets: [0.1, 1] }
  const plain = new Histogram({ ...base, registers: [plainReg] })
  const fixed = new FixedHistogram({ ...base, registers: [fixedReg] })
  const children = [plain, fixed].map(h => ({ a: h.labels('a', 'legacy'), b: h.labels({ route: 'b', target: 'legacy' }), a2: h.labels('a', 'legacy') }))
  const both = (fn: (h: Histogram, c: (typeof children)[number]) => void): void => { fn(plain, children[0]!); fn(fixed, children[1]!) }

  both((_, c) => { c.a.observe(0.05); c.b.observe(0.5); c.a2.observe(2) })
  t.equal(await fixedReg.metrics(), await plainReg.metrics(), 'two children of one series share it')
  both(h => h.reset())
  both((_, c) => { c.a.observe(0.5); c.b.observe(0.05) })
  t.equal(await fixedReg.metrics(), await plainReg.metrics(), 'after reset: fresh series, old counts gone')
  // zero() on the last series: FixedHistogram moves a zeroed series to the end, prom-client keeps its place.
  both(h => h.zero({ route: 'b', target: 'legacy' }))
  both((_, c) => { c.b.observe(0.5) })
  t.equal(await fixedReg.metrics(), await plainReg.metrics(), 'after zero: the zeroed series counts on from 0')
  both(h => h.remove('a', 'legacy'))
  both((_, c) => { c.a2.observe(3) })
  t.equal(await fixedReg.metrics(), await plainReg.metrics(), 'after remove: the series comes back with the new observation only')
  t.match(await fixedReg.metrics(), /h_seconds_count\{route="a",target="legacy"\} 1/)
})
