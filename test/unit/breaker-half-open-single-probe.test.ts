import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { BreakerRegistry } from '../../gateway/src/protection/breaker-registry.js'
import type { BreakerStateChange } from '../../gateway/src/protection/breaker-registry.js'

const opts = { volumeThreshold: 1, errorThresholdPercentage: 50, resetTimeoutMs: 60 }
const fail = () => Promise.reject(Object.assign(new Error('boom'), { statusCode: 500 }))

async function openAndWaitHalfOpen (registry: BreakerRegistry): Promise<void> {
  await registry.run('legacy', fail, opts).catch(() => {})
  for (let i = 0; i < 100 && registry.state('legacy') !== 'half-open'; i++) await sleep(10)
}

t.test('half-open lets exactly one of 50 concurrent calls through; its success closes the breaker', async t => {
  const lines: Array<Record<string, unknown>> = []
  const logger = { warn: (o: Record<string, unknown>) => lines.push(o), info: (o: Record<string, unknown>) => lines.push(o) }
  const registry = new BreakerRegistry({ logger })
  t.teardown(() => registry.close())
  const changes: BreakerStateChange[] = []
  registry.onStateChange(c => changes.push(c))
  await openAndWaitHalfOpen(registry)
  t.equal(registry.state('legacy'), 'half-open')

  let reached = 0
  let releaseProbe = (): void => {}
  const slowOk = () => {
    reached++
    return new Promise<string>(resolve => { releaseProbe = () => resolve('ok') })
  }
  const calls = Array.from({ length: 50 }, () => registry.run('legacy', slowOk).then(() => 'ok', (e: { code?: string }) => e.code))
  await sleep(5)
  t.equal(reached, 1, 'only the probe reached the upstream')
  releaseProbe()
  const results = await Promise.all(calls)
  t.equal(results.filter(r => r === 'ok').length, 1)
  t.equal(results.filter(r => r === 'GW_ERR_BREAKER_OPEN').length, 49)
  t.equal(registry.state('legacy'), 'closed')
  t.same(changes.map(c => `${c.from}>${c.to}`), ['closed>open', 'open>half-open', 'half-open>closed'])
  t.same(lines.map(l => [l.breaker, l.to]), [['legacy', 'open'], ['legacy', 'half-open'], ['legacy', 'closed']],
    'each change logged once, with a breaker field')
  t.match(registry.list()[0]?.stats, { fires: 0, failures: 0, rejects: 0 },
    'closing cleared the window: failures from the outage cannot re-open the fresh breaker')
})

t.test('a failed probe re-opens; an aborted probe re-opens too (it proved nothing)', async t => {
  const registry = new BreakerRegistry()
  t.teardown(() => registry.close())
  await openAndWaitHalfOpen(registry)
  await registry.run('legacy', fail).catch(() => {})
  t.equal(registry.state('legacy'), 'open')
  t.equal(registry.list()[0]?.opens, 2)
  for (let i = 0; i < 100 && registry.state('legacy') !== 'half-open'; i++) await sleep(10)
  await registry.run('legacy', () => Promise.reject(Object.assign(new Error('gone'), { name: 'AbortError' }))).catch(() => {})
  t.equal(registry.state('legacy'), 'open')
})
