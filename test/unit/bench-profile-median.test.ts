// bench/profile.ts with BENCH_PROFILE_ROUNDS: per-key medians across rounds, a key missing from
// a round counting as 0 there, so one noisy round cannot set a figure.
import t from 'tap'
import { medianCost } from '../../bench/lib/profile-diff.js'

const table = (totalUs: number, areas: Record<string, number>): Parameters<typeof medianCost>[0][number] =>
  ({ totalUs, areas: new Map(Object.entries(areas)), functions: new Map(Object.entries(areas).map(([k, v]) => [`f ${k}`, v])) })

t.test('medians per key over rounds', async (t) => {
  const m = medianCost([table(100, { gc: 10, undici: 20 }), table(300, { gc: 50 }), table(120, { gc: 12, undici: 22 })])
  t.equal(m.totalUs, 120)
  t.equal(m.areas.get('gc'), 12)
  t.equal(m.areas.get('undici'), 20, 'the round without undici counts as 0')
  t.equal(m.functions.get('f gc'), 12)
})

t.test('an even number of rounds takes the mean of the middle two', async (t) => {
  t.equal(medianCost([table(100, {}), table(200, {})]).totalUs, 150)
})
