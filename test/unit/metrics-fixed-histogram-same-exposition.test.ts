// FixedHistogram (counts in preallocated arrays, exposition built on read) prints /metrics byte
// for byte as prom-client's Histogram does for the same observations: names, label order, bucket
// bounds, cumulative counts, float sums, +Inf, _sum/_count, HELP/TYPE — read after read, through
// every way of observing, and get() returns the same objects.
import t from 'tap'
import { Histogram, Registry } from 'prom-client'
import { FixedHistogram } from '../../gateway/src/ops/fixed-histogram.js'

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

function pair (opts: { labelNames: string[], buckets?: number[], collect?: boolean }): { plain: Histogram, fixed: FixedHistogram, plainReg: Registry, fixedReg: Registry } {
  const plainReg = new Registry()
  const fixedReg = new Registry()
  let plainCollects = 0
  let fixedCollects = 0
  const base = { name: 'gateway_request_duration_seconds', help: 'Time from request received to response finished', labelNames: opts.labelNames, buckets: opts.buckets ?? BUCKETS }
  const plain = new Histogram({ ...base, registers: [plainReg], ...(opts.collect ? { collect () { this.observe({ route: 'collected', target: 'legacy' }, 0.2 + plainCollects++ / 10) } } : {}) })
  const fixed = new FixedHistogram({ ...base, registers: [fixedReg], ...(opts.collect ? { collect () { this.observe({ route: 'collected', target: 'legacy' }, 0.2 + fixedCollects++ / 10) } } : {}) })
  return { plain, fixed, plainReg, fixedReg }
}

let seed = 7
const random = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 }

t.test('the same observations print the same /metrics text and get() objects, read after read', async t => {
  const { plain, fixed, plainReg, fixedReg } = pair({ labelNames: ['route', 'target'], collect: true })
  const routes = ['users.get', 'budgets.get', 'default', 'we"ird\\route\nname']
  const plainChild = plain.labels('users.get', 'lambda')
  const fixedChild = fixed.labels('users.get', 'lambda')
  const plainObjChild = plain.labels({ target: 'legacy', route: 'obj.child' })
  const fixedObjChild = fixed.labels({ target: 'legacy', route: 'obj.child' })
  for (let read = 0; read < 4; read++) {
    for (let i = 0; i < 500; i++) {
      // Exact bounds, values between them, above the last one, zero and a negative value.
      const r = random()
      const v = r < 0.1 ? (BUCKETS[Math.floor(random() * BUCKETS.length)] as number) : r < 0.15 ? 31 + r : r < 0.17 ? 0 : r < 0.18 ? -0.001 : r * r * 3
      const route = routes[i % routes.length] as string
      if (i % 5 === 0) { plainChild.observe(v); fixedChild.observe(v) } else if (i % 7 === 0) { plainObjChild.observe(v); fixedObjChild.observe(v) } else if (i % 11 === 0) {
        // Keys in the other order: prom-client keeps the first object's order for the series.
        plain.observe({ target: 'legacy', route }, v)
        fixed.observe({ target: 'legacy', route }, v)
      } else {
        plain.observe({ route, target: 'legacy' }, v)
        fixed.observe({ route, target: 'legacy' }, v)
      }
    }
    const expected = await plainReg.metrics()
    t.match(expected, /gateway_request_duration_seconds_bucket\{le="0.005",route="users.get",target="legacy"\} \d+\n/)
    t.equal(await fixedReg.metrics(), expected, `/metrics text, read ${read + 1}`)
    t.same(await fixed.get(), await plain.get(), `get(), read ${read + 1}`)
    t.same(await fixedReg.getMetricsAsJSON(), await plainReg.getMetricsAsJSON(), `registry JSON, read ${read + 1}`)
  }
})

t.test('a histogram without labels shows its zero series from the start, and after reset', async t => {
  const { plain, fixed, plainReg, fixedReg } = pair({ labelNames: [], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10] })
  t.equal(await fixedReg.metrics(), await plainReg.metrics(), 'before any observation')
  for (const v of [0.06, 3, 11, 0.05]) { plain.observe(v); fixed.observe(v) }
  t.equal(await fixedReg.metrics(), await plainReg.metrics())
  plain.reset(); fixed.reset()
  t.equal(await fixedReg.metrics(), await plainReg.metrics(), 'after reset')
})

t.test('zero, remove and startTimer behave as prom-client\'s', async t => {
  const { plain, fixed, plainReg, fixedReg } = pair({ labelNames: ['route', 'target'] })
  plain.zero({ route: 'z', target: 'legacy' }); fixed.zero({ route: 'z', target: 'legacy' })
  for (const h of [plain, fixed]) { h.observe({ route: 'a', target: 'legacy' }, 0.3); h.observe({ route: 'b', target: 'legacy' }, 0.3) }
  plain.remove('a', 'legacy'); fixed.remove('a', 'legacy')
  t.equal(await fixedReg.metrics(), await plainReg.metrics())
  const end = fixed.startTimer({ route: 't' })
  t.ok(end({ target: 'lambda' }) >= 0)
  t.match(await fixedReg.metrics(), /gateway_request_duration_seconds_count\{route="t",target="lambda"\} 1/)
})

t.test('unknown labels and non-numbers are refused like prom-client refuses them', async t => {
  const { plain, fixed } = pair({ labelNames: ['route', 'target'] })
  t.throws(() => { plain.observe({ route: 'r', target: 'legacy', extra: 'x' } as never, 1) })
  t.throws(() => { fixed.observe({ route: 'r', target: 'legacy', extra: 'x' } as never, 1) }, /not included in initial labelset/)
  t.throws(() => { fixed.labels({ route: 'r', nope: 'x' } as never) }, /not included/)
  t.throws(() => { plain.observe({ route: 'r', target: 'legacy' }, Number.NaN) }, TypeError)
  t.throws(() => { fixed.observe({ route: 'r', target: 'legacy' }, Number.NaN) }, TypeError)
  t.throws(() => new FixedHistogram({ name: 'x_seconds', help: 'x', enableExemplars: true, registers: [] }), /exemplars/)
})
