// BreakerRegistry.admit(): the hot path's way in, without a promise. The ticket's end(outcome)
// changes the breaker at once, the same rules as run() (4xx and aborts are no failures); an
// open breaker refuses (undefined) and counts the reject; a ticket that outlives close() ends
// without effect.
import t from 'tap'
import { BreakerRegistry } from '../../gateway/src/protection/breaker-registry.js'
import type { BreakerStateChange } from '../../gateway/src/protection/breaker-registry.js'
import { ManualClock } from '../helpers/protection-clock.js'

const opts = { volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeoutMs: 1000 }
const e502 = (): Error => Object.assign(new Error('bad gateway'), { statusCode: 502 })

t.test('end(outcome) records synchronously; an open breaker refuses', async t => {
  const registry = new BreakerRegistry({ clock: new ManualClock() })
  t.teardown(() => registry.close())
  const changes: BreakerStateChange[] = []
  registry.onStateChange(c => changes.push(c))
  registry.admit('legacy', opts)?.end(Object.assign(new Error('not found'), { statusCode: 404 }))
  registry.admit('legacy', opts)?.end(Object.assign(new Error('gone'), { name: 'AbortError' }))
  t.match(registry.get('legacy').stats, { fires: 2, failures: 0, successes: 2 }, 'a 4xx and an abort count as successes')
  registry.admit('legacy')?.end(e502())
  registry.admit('legacy')?.end(e502())
  t.equal(registry.state('legacy'), 'closed', '2 of 4 = 50% is not above it')
  registry.admit('legacy')?.end(e502())
  t.equal(registry.state('legacy'), 'open', 'no await needed: 3 of 5 opened it')
  t.same(changes.map(c => c.to), ['open'])
  t.equal(registry.admit('legacy'), undefined)
  t.match(registry.get('legacy').stats, { fires: 6, failures: 3, rejects: 1 })
})

t.test('half-open: an aborted probe re-opens; a ticket ended after close() changes nothing', async t => {
  const clock = new ManualClock()
  const registry = new BreakerRegistry({ clock })
  registry.admit('legacy', { ...opts, volumeThreshold: 1 })?.end(e502())
  clock.advance(1000)
  t.equal(registry.state('legacy'), 'half-open')
  const probe = registry.admit('legacy')
  t.ok(probe)
  t.equal(registry.admit('legacy'), undefined, 'the probe is out')
  probe?.end(Object.assign(new Error('gone'), { name: 'AbortError' }))
  t.equal(registry.state('legacy'), 'open')
  clock.advance(1000)
  const late = registry.admit('legacy')
  registry.close()
  t.equal(clock.pendingTimers, 0, 'close() left no timer')
  late?.end()
  t.equal(registry.has('legacy'), false)
  t.equal(registry.state('legacy'), 'closed', 'a closed registry knows no breaker')
})
