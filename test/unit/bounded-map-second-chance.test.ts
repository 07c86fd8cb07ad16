import t from 'tap'
import { BoundedMap } from '../../gateway/src/protection/bounded-map.js'

t.test('never more than maxEntries, and evictions count every entry dropped, hits or not', async t => {
  const map = new BoundedMap<string, number>(100)
  let inserted = 0
  let over = 0
  for (let i = 0; i < 10_000; i++) {
    const key = `k${(i * 7919) % 3000}`
    // Hits on a spread of keys mark entries used between inserts.
    map.get(`k${(i * 31) % 3000}`)
    if (map.get(key) === undefined) {
      map.set(key, i)
      inserted++
    } else {
      map.set(key, i) // an update is no new entry: nothing is dropped for it
    }
    if (map.size > 100) over++
  }
  t.equal(over, 0, 'the bound held after every set')
  t.equal(map.size, 100)
  t.equal(map.evictions, inserted - 100, 'one eviction per new key past the cap')
})

t.test('a key used between every insert of a flood is never the one dropped', async t => {
  const map = new BoundedMap<string, string>(3)
  map.set('client', 'in use')
  for (let i = 0; i < 1000; i++) {
    map.set(`flood:${i}`, 'x')
    t.equal(map.get('client'), 'in use', `after flood key ${i}`)
  }
  t.equal(map.evictions, 998)
})

t.test('the key just set stays even when every other entry was used since its last pass', async t => {
  const one = new BoundedMap<string, number>(1)
  one.set('a', 1)
  one.get('a')
  one.set('b', 2)
  t.equal(one.get('b'), 2, 'the new key is kept')
  t.equal(one.get('a'), undefined, 'the only other entry goes')
  t.equal(one.evictions, 1)

  const three = new BoundedMap<string, number>(3)
  for (const k of ['a', 'b', 'c']) three.set(k, 0)
  for (const k of ['a', 'b', 'c']) three.get(k)
  three.set('d', 1)
  t.equal(three.size, 3)
  t.equal(three.get('d'), 1)
  t.equal(three.get('a'), undefined, 'all used: the oldest goes after its second chance')
  t.equal(three.get('b'), 0)
  t.equal(three.get('c'), 0)
})

t.test('set on a present key updates it in place and counts as a use', async t => {
  const map = new BoundedMap<string, number>(2)
  map.set('a', 1)
  map.set('b', 2)
  map.set('a', 10)
  map.set('c', 3)
  t.equal(map.get('a'), 10)
  t.equal(map.get('b'), undefined)
  t.equal(map.evictions, 1)
  map.clear()
  t.equal(map.size, 0)
})
