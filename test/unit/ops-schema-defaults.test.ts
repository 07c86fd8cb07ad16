// The ops config fragments validate and default as documented, and the stickyBy pattern agrees
// with the parser the router uses.
import t from 'tap'
import { Value } from '@sinclair/typebox/value'
import { RolloutSchema, StateSchema, StickyBySchema, TesterOverrideSchema } from '../../gateway/src/ops/ops.schema.js'
import { parseStickyBy } from '../../gateway/src/routing/rollout-key.js'

t.test('defaults', async t => {
  t.same(Value.Default(TesterOverrideSchema, {}), { enabled: false, header: 'x-gateway-force-target' })
  t.same(Value.Default(StateSchema, {}), { dir: './var' })
  t.same(Value.Default(RolloutSchema, {}), { percent: 100 })
})

t.test('rollout percent 0..100 and no unknown fields', async t => {
  t.ok(Value.Check(RolloutSchema, { percent: 10, stickyBy: 'header:x-user-id' }))
  t.notOk(Value.Check(RolloutSchema, { percent: 101 }))
  t.notOk(Value.Check(RolloutSchema, { percent: -1 }))
  t.notOk(Value.Check(RolloutSchema, { percent: 10, sticky: 'ip' }))
  t.notOk(Value.Check(TesterOverrideSchema, { enabled: true, header: 'bad header' }))
})

t.test('stickyBy: the schema accepts exactly what parseStickyBy accepts', async t => {
  for (const spec of ['ip', 'jwt:sub', 'header:x-user-id', 'cookie:session', 'header:', 'cookie:a b', 'jwt:email', 'query:x', 'IP']) {
    let parsed = true
    try { parseStickyBy(spec) } catch { parsed = false }
    t.equal(Value.Check(StickyBySchema, spec), parsed, spec)
  }
})
