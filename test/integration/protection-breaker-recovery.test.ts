// Done-when 3: legacy failing opens the breaker; while open legacy receives nothing but the
// single half-open probe; after recovery the breaker closes. Real stub, small windows.
import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { Agent, request } from 'undici'
import { Protection } from '../../gateway/src/protection/protection.js'
import { isProtectionRejection } from '../../gateway/src/protection/rejection.js'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'

t.test('errorRate 1.0 opens the breaker; only one probe reaches legacy; recovery closes it', async t => {
  const stub = await startTestLegacyStub(t, { maxConcurrency: 32, latencyMs: 5, queueLimit: 64 })
  const agent = new Agent({ connections: 32 })
  t.teardown(() => agent.close())
  const states: string[] = []
  const protection = new Protection({
    maxConcurrency: 8,
    queue: { maxSize: 64, maxWaitMs: 2000 },
    rateLimit: { perSecond: 1_000_000, burst: 1_000_000 },
    breaker: { errorThresholdPercentage: 50, volumeThreshold: 10, resetTimeoutMs: 300, rollingCountTimeoutMs: 10_000, rollingCountBuckets: 10 }
  }, { hooks: { onBreakerState: (b, v) => states.push(`${b}=${v}`) } })
  t.teardown(() => protection.close())

  const call = () => protection.legacy.run({
    routeId: 'users.list', method: 'GET', isFailureResult: (s) => (s as number) >= 500
  }, async (signal) => {
    const res = await request(`${stub.url}/api/Users`, { dispatcher: agent, signal })
    await res.body.text()
    return res.statusCode
  }).catch((err: unknown) => (isProtectionRejection(err) ? err.code : 'other'))

  await stub.faults({ errorRate: 1 })
  const failing: unknown[] = []
  for (let i = 0; i < 20; i++) failing.push(await call())
  t.same(failing.slice(0, 10), Array(10).fill(500), 'the first 10 (volume threshold) reach legacy and fail')
  t.same(failing.slice(10), Array(10).fill('GW_ERR_BREAKER_OPEN'), 'then the breaker is open')
  t.equal(protection.breakers.state('legacy'), 'open')

  await stub.app.inject({ method: 'POST', url: '/__stats/reset' })
  const whileOpen = await Promise.all(Array.from({ length: 30 }, call))
  t.ok(whileOpen.every(r => r === 'GW_ERR_BREAKER_OPEN'))
  t.equal((await stub.stats()).received, 0, 'legacy received nothing while open')

  await stub.faults({ errorRate: 0 })
  for (let i = 0; i < 200 && protection.breakers.state('legacy') !== 'half-open'; i++) await sleep(10)
  t.equal(protection.breakers.state('legacy'), 'half-open')
  await stub.app.inject({ method: 'POST', url: '/__stats/reset' })
  const probeRound = await Promise.all(Array.from({ length: 20 }, call))
  t.equal((await stub.stats()).received, 1, 'exactly one probe reached legacy')
  t.equal(probeRound.filter(r => r === 200).length, 1)
  t.equal(protection.breakers.state('legacy'), 'closed', 'the successful probe closed it')

  const after = await Promise.all(Array.from({ length: 20 }, call))
  t.ok(after.every(r => r === 200), 'traffic flows again')
  t.same(states, ['legacy=0', 'legacy=2', 'legacy=1', 'legacy=0'])
  t.match(protection.breakers.list().find(b => b.name === 'legacy'), { opens: 1, state: 'closed' })
})
