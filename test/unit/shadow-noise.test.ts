import t from 'tap'
import { NoiseLearner } from '../../gateway/src/shadow/noise.js'

t.test('learns differing legacy paths, generalised and bounded', async t => {
  const n = new NoiseLearner(2)
  t.same(n.learn('r', { at: 1, items: [{ id: 'a' }], x: 1 }, { at: 2, items: [{ id: 'b' }], x: 1 }), ['$.at', '$.items[*].id'])
  t.same(n.learn('r', { z: 1 }, { z: 2 }), [], 'bounded per route')
  t.same(n.ignored('r'), ['$.at', '$.items[*].id'])
  t.same(n.ignored('other'), [])
})
