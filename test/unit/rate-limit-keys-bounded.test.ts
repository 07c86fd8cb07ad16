import t from 'tap'
import { RateLimiter } from '../../gateway/src/protection/rate-limiter.js'
import { BoundedMap } from '../../gateway/src/protection/bounded-map.js'

t.test('a flood of distinct client keys cannot grow the bucket map past maxKeys', async t => {
  const limiter = new RateLimiter({ maxKeys: 1000, now: () => 0 })
  const rule = { perSecond: 1, burst: 1 }
  for (let i = 0; i < 50_000; i++) limiter.check([{ scope: 'client', key: `ip:${i}`, rule }])
  t.equal(limiter.size, 1000)
  t.equal(limiter.evictions, 49_000)
})

t.test('LRU: a key in use survives, the least recently used one goes', async t => {
  const map = new BoundedMap<string, number>(2)
  map.set('a', 1)
  map.set('b', 2)
  map.get('a')
  map.set('c', 3)
  t.equal(map.get('a'), 1)
  t.equal(map.get('b'), undefined)
  t.equal(map.get('c'), 3)
  t.throws(() => new BoundedMap(0), RangeError)
})
