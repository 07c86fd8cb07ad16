// The unused report lists routes and functions idle for N days by an injected clock; never-hit
// items count from the gateway's first start.
import t from 'tap'
import { unusedReport } from '../../gateway/src/ops/unused-report.js'

const DAY = 86_400_000
const START = Date.parse('2026-01-01T00:00:00Z')
const routes = [
  { id: 'users.get', lambdaFunction: 'Users-dev' },
  { id: 'users.list', lambdaFunction: 'Users-dev' },
  { id: 'projects.list', lambdaFunction: 'Projects-dev' },
  { id: 'billings.post' }
]
const lastHit = {
  routes: { 'users.get': START + 9 * DAY, 'projects.list': START + 2 * DAY },
  functions: { 'Users-dev': START + 9 * DAY, 'Projects-dev': START + 2 * DAY }
}

t.test('before N days since first start nothing never-hit is reported', async t => {
  const r = unusedReport({ days: 30, now: START + 10 * DAY, firstStartedAt: START, routes, lastHit })
  t.same(r.routes, [])
  t.same(r.functions, [])
  t.equal(r.now, '2026-01-11T00:00:00.000Z')
})

t.test('after the clock advances: idle and never-hit items, most idle first', async t => {
  const r = unusedReport({ days: 7, now: START + 10 * DAY, firstStartedAt: START, routes, lastHit })
  t.same(r.routes, [
    { id: 'billings.post', lastHit: null, idleDays: 10 },
    { id: 'users.list', lastHit: null, idleDays: 10 },
    { id: 'projects.list', lastHit: '2026-01-03T00:00:00.000Z', idleDays: 8 }
  ])
  t.same(r.functions, [{ id: 'Projects-dev', lastHit: '2026-01-03T00:00:00.000Z', idleDays: 8 }], 'Users-dev is used via users.get')
  t.equal(r.firstStartedAt, '2026-01-01T00:00:00.000Z')
})

t.test('boundary: exactly N days idle counts as unused, a millisecond less does not', async t => {
  const one = [{ id: 'r' }]
  const hit = { routes: { r: START }, functions: {} }
  t.equal(unusedReport({ days: 1, now: START + DAY, firstStartedAt: START, routes: one, lastHit: hit }).routes.length, 1)
  t.equal(unusedReport({ days: 1, now: START + DAY - 1, firstStartedAt: START, routes: one, lastHit: hit }).routes.length, 0)
  t.equal(unusedReport({ days: 0, now: START, firstStartedAt: START, routes: one, lastHit: hit }).routes.length, 1, '--days 0 lists everything')
})
