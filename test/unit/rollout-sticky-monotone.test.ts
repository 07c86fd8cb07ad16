// The rollout sends the expected share at 10/50/100%, keeps each key on one side, and never
// moves a key back to legacy as the percentage rises.
import t from 'tap'
import { BUCKETS, chooseRolloutSide, hash32, lambdaThreshold, rolloutBucket } from '../../gateway/src/routing/rollout-bucket.js'

const KEYS = Array.from({ length: 10_000 }, (_, i) => `user-${i}`)
const never = (): number => { throw new Error('random must not be used with a sticky key') }

function share (percent: number, routeId = 'users.get'): number {
  let n = 0
  for (const key of KEYS) if (chooseRolloutSide({ routeId, percent, stickyKey: key, random: never }) === 'lambda') n++
  return n / KEYS.length
}

t.test('shares at 10, 50 and 100% are within 2 points at 10k keys', async t => {
  t.ok(Math.abs(share(10) - 0.10) < 0.02, `10% -> ${share(10)}`)
  t.ok(Math.abs(share(50) - 0.50) < 0.02, `50% -> ${share(50)}`)
  t.equal(share(100), 1, '100% sends every key')
  t.equal(share(0), 0, '0% sends none')
  t.ok(Math.abs(share(10, 'projects.list') - 0.10) < 0.02, 'another route id, same share')
})

t.test('a key always gets the same bucket and side', async t => {
  for (const key of KEYS.slice(0, 500)) {
    const a = chooseRolloutSide({ routeId: 'users.get', percent: 37, stickyKey: key, random: never })
    const b = chooseRolloutSide({ routeId: 'users.get', percent: 37, stickyKey: key, random: never })
    if (a !== b) t.fail(`key ${key} flipped`)
  }
  t.equal(rolloutBucket('users.get', 'user-42'), rolloutBucket('users.get', 'user-42'))
  // Pinned values: a changed hash would silently reshuffle every user at the next deploy.
  t.equal(hash32('users.get:user-42'), 645720410, 'stable across processes and releases')
  t.equal(rolloutBucket('users.get', 'user-42'), 410)
  t.ok(rolloutBucket('users.get', 'user-42') >= 0 && rolloutBucket('users.get', 'user-42') < BUCKETS)
})

t.test('monotone: a key on the Lambda at p% is on the Lambda at every higher %', async t => {
  const steps = [0, 1, 5, 10, 25, 50, 75, 90, 99, 100]
  let violations = 0
  for (const key of KEYS) {
    let wasLambda = false
    for (const percent of steps) {
      const isLambda = chooseRolloutSide({ routeId: 'users.get', percent, stickyKey: key, random: never }) === 'lambda'
      if (wasLambda && !isLambda) violations++
      wasLambda = isLambda
    }
  }
  t.equal(violations, 0, 'no key moves back to legacy as the percentage rises')
})

t.test('buckets spread evenly over deciles (no clumping from similar keys)', async t => {
  const deciles = new Array<number>(10).fill(0)
  for (const key of KEYS) deciles[Math.floor(rolloutBucket('users.get', key) / 1000)]!++
  for (const [i, n] of deciles.entries()) t.ok(n > 850 && n < 1150, `decile ${i}: ${n} of 10000`)
})

t.test('without a sticky key the side is random per request, from the injected RNG', async t => {
  t.equal(chooseRolloutSide({ routeId: 'r', percent: 10, stickyKey: undefined, random: () => 0.05 }), 'lambda')
  t.equal(chooseRolloutSide({ routeId: 'r', percent: 10, stickyKey: undefined, random: () => 0.5 }), 'legacy')
  let seed = 7
  const lcg = (): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 2 ** 32 }
  let n = 0
  for (let i = 0; i < 10_000; i++) if (chooseRolloutSide({ routeId: 'r', percent: 30, stickyKey: undefined, random: lcg }) === 'lambda') n++
  t.ok(Math.abs(n / 10_000 - 0.3) < 0.02, `30% random -> ${n / 10_000}`)
})

t.test('thresholds clamp out-of-range and fractional percentages', async t => {
  t.equal(lambdaThreshold(-5), 0)
  t.equal(lambdaThreshold(Number.NaN), 0)
  t.equal(lambdaThreshold(250), BUCKETS)
  t.equal(lambdaThreshold(0.25), 25, 'a quarter percent is 25 buckets')
})
