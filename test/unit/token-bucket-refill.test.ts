import t from 'tap'
import { fullBucket, take } from '../../gateway/src/protection/token-bucket.js'

const cfg = { capacity: 5, refillPerSecond: 2 }

t.test('a full bucket admits exactly its burst, then refuses with the exact wait', async t => {
  let state = fullBucket(cfg, 0)
  for (let i = 0; i < 5; i++) {
    const r = take(cfg, state, 0)
    t.ok(r.allowed, `take ${i + 1} admitted`)
    t.equal(r.remaining, 4 - i)
    state = r.state
  }
  const refused = take(cfg, state, 0)
  t.notOk(refused.allowed)
  t.equal(refused.retryAfterMs, 500, 'one token at 2/s takes 500 ms')
  t.equal(refused.resetMs, 2500, 'five tokens take 2.5 s')
  t.equal(refused.state.tokens, 0, 'a refusal consumes nothing')
})

t.test('tokens refill linearly and never above capacity', async t => {
  const empty = { tokens: 0, updatedAt: 0 }
  t.notOk(take(cfg, empty, 499).allowed, 'not yet at 499 ms')
  t.equal(take(cfg, empty, 499).retryAfterMs, 2, 'two ms to go')
  t.ok(take(cfg, empty, 500).allowed, 'one token at 500 ms')
  const later = take(cfg, empty, 60_000)
  t.equal(later.remaining, 4, 'capped at capacity (5) minus the one taken')
})

t.test('several tokens at once, and more than the capacity is never admitted', async t => {
  const empty = { tokens: 0, updatedAt: 0 }
  t.equal(take(cfg, empty, 0, 3).retryAfterMs, 1500)
  const tooMany = take(cfg, fullBucket(cfg, 0), 0, 6)
  t.notOk(tooMany.allowed)
  t.equal(tooMany.retryAfterMs, Infinity)
})

t.test('a clock going backwards neither mints nor burns tokens', async t => {
  const state = { tokens: 1, updatedAt: 10_000 }
  const r = take(cfg, state, 5_000)
  t.ok(r.allowed)
  t.equal(r.state.tokens, 0)
  t.equal(r.state.updatedAt, 10_000)
})

t.test('float refill reaches a whole token exactly (0.1 s steps at 10/s)', async t => {
  const c = { capacity: 1, refillPerSecond: 10 }
  let state = { tokens: 0, updatedAt: 0 }
  let now = 0
  for (let i = 0; i < 9; i++) {
    now += 10
    const r = take(c, state, now)
    t.notOk(r.allowed, `not yet at ${now} ms`)
    state = r.state
  }
  t.ok(take(c, state, 100).allowed, '10 x 10 ms at 10/s = one token')
})
