import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { BreakerRegistry } from '../../gateway/src/protection/breaker-registry.js'

t.test('a forced open stays open past resetTimeout until forced closed; list() shows it', async t => {
  const registry = new BreakerRegistry()
  t.teardown(() => registry.close())
  registry.get('lambda:Users-DEV', { resetTimeoutMs: 20 })
  const values: number[] = []
  registry.onStateChange(c => values.push(c.to === 'open' ? 2 : c.to === 'half-open' ? 1 : 0))
  const info = registry.forceOpen('lambda:Users-DEV')
  t.match(info, { name: 'lambda:Users-DEV', state: 'open', stateValue: 2, forced: 'open' })
  await sleep(60)
  t.equal(registry.state('lambda:Users-DEV'), 'open')
  let called = false
  await t.rejects(registry.run('lambda:Users-DEV', async () => { called = true }), { code: 'GW_ERR_BREAKER_OPEN' })
  t.notOk(called)
  t.match(registry.forceClose('lambda:Users-DEV'), { state: 'closed', forced: null })
  t.equal(await registry.run('lambda:Users-DEV', async () => 42), 42)
  t.same(values, [2, 0])
  t.same(registry.list().map(b => b.name), ['lambda:Users-DEV'])
  t.equal(registry.state('unknown'), 'closed')
})
