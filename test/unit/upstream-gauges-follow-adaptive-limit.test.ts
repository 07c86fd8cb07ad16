// gateway_upstream_concurrency_limit reads the limiter's cap at scrape time: with the adaptive
// limit on, slow or dropped calls lower it and the next scrape shows the lowered cap (no per-call
// metric work). The queue depth is the limiter's waiters at that scrape.
import t from 'tap'
import { Registry } from 'prom-client'
import { AimdLimit } from '../../gateway/src/protection/adaptive-limit.js'
import { ConcurrencyLimiter } from '../../gateway/src/protection/concurrency-limiter.js'
import { AUTO_MAX_LIMIT } from '../../gateway/src/protection/gradient-limit.js'
import { Protection } from '../../gateway/src/protection/protection.js'
import { registerUpstreamGauges } from '../../gateway/src/protection/upstream-gauges.js'

async function sample (registry: Registry, name: string): Promise<number | undefined> {
  const metric = await registry.getSingleMetric(name)?.get()
  return metric?.values.find(v => v.labels.upstream === 'legacy')?.value
}

t.test('the cap gauge follows the adaptive limit down; the queue gauge counts waiters', async t => {
  const adaptive = new AimdLimit(10, { enabled: true, minConcurrency: 2, latencyThresholdMs: 500, backoffRatio: 0.5 })
  const limiter = new ConcurrencyLimiter({ name: 'legacy', maxConcurrency: 10, queue: { maxSize: 8, maxWaitMs: 60_000 }, adaptive })
  const registry = new Registry()
  registerUpstreamGauges(registry, () => [{ name: 'legacy', limiter }])
  t.equal(await sample(registry, 'gateway_upstream_concurrency_limit'), 10, 'the configured cap')

  ;(await limiter.acquire())({ dropped: true })
  t.equal(await sample(registry, 'gateway_upstream_concurrency_limit'), 5, 'one dropped call halves it')
  ;(await limiter.acquire())({ dropped: true })
  ;(await limiter.acquire())({ dropped: true })
  t.equal(await sample(registry, 'gateway_upstream_concurrency_limit'), 2, 'never below minConcurrency')

  const holders = [await limiter.acquire(), await limiter.acquire()]
  const waiters = [limiter.acquire(), limiter.acquire(), limiter.acquire()]
  t.equal(await sample(registry, 'gateway_upstream_queue_depth'), 3, 'three wait behind the lowered cap')
  for (const release of holders) release()
  for (const w of waiters) (await w)()
  t.equal(await sample(registry, 'gateway_upstream_queue_depth'), 0, 'all served')

  limiter.reconfigure(4, { maxSize: 8, maxWaitMs: 60_000 })
  t.ok(adaptive.limit > 4, `served fast calls grew the adaptive limit back (${adaptive.limit})`)
  t.equal(await sample(registry, 'gateway_upstream_concurrency_limit'), 4, 'a reload below the adaptive limit caps it')
})

t.test('registering again replaces the gauges (a rebuilt protection layer on one registry)', async t => {
  const registry = new Registry()
  const a = new ConcurrencyLimiter({ name: 'legacy', maxConcurrency: 3, queue: { maxSize: 0, maxWaitMs: 0 } })
  const b = new ConcurrencyLimiter({ name: 'legacy', maxConcurrency: 9, queue: { maxSize: 0, maxWaitMs: 0 } })
  registerUpstreamGauges(registry, () => [{ name: 'legacy', limiter: a }])
  registerUpstreamGauges(registry, () => [{ name: 'legacy', limiter: b }])
  t.equal(await sample(registry, 'gateway_upstream_concurrency_limit'), 9)
})

t.test('legacy.maxConcurrency: auto — the gauge shows the gradient cap in force, not its ceiling', async t => {
  const protection = new Protection({ maxConcurrency: 'auto' })
  t.teardown(() => protection.close())
  const registry = new Registry()
  registerUpstreamGauges(registry, () => protection.shields())
  const shown = await sample(registry, 'gateway_upstream_concurrency_limit')
  t.equal(shown, protection.legacy.limiter.limit, `the limiter's cap (${shown})`)
  t.ok(shown !== undefined && shown < AUTO_MAX_LIMIT, `below the ceiling of ${AUTO_MAX_LIMIT}`)
  protection.lambda('Users-DEV', { maxConcurrency: 7 })
  t.equal((await registry.getSingleMetric('gateway_upstream_concurrency_limit')?.get())?.values.find(v => v.labels.upstream === 'lambda:Users-DEV')?.value, 7, 'a Lambda shield joins once made')
})
