// A per-client limit holds across three replicas (three connections, three limiters): the
// client's total stays within one token-bucket step of what a single gateway would admit.
import { redisTest } from '../helpers/redis-gate.js'
import { DegradedMode } from '../../gateway/src/distributed/degraded-mode.js'
import { RedisRateLimiter } from '../../gateway/src/distributed/redis-token-bucket.js'
import { connectedClient, testPrefix } from '../helpers/redis.js'

redisTest('per-client limit across 3 replicas over ~1.2 s', async t => {
  const keyPrefix = testPrefix(t)
  const rule = { perSecond: 10, burst: 5 }
  const replicas = await Promise.all([0, 1, 2].map(async () => {
    const client = await connectedClient(t, undefined, { timeoutMs: 1000 })
    const degraded = new DegradedMode({ client, expectedReplicas: 3 })
    t.teardown(() => { degraded.close() })
    return new RedisRateLimiter({ client, degraded, keyPrefix })
  }))
  const check = (i: number, key: string): Promise<boolean> =>
    (replicas[i % 3] as RedisRateLimiter).check([{ scope: 'client', key, rule }]).then(d => d.allowed)

  const started = performance.now()
  let allowedA = 0
  let allowedB = 0
  let rounds = 0
  let sentB = 0
  // Each round every replica gets 4 requests from client A; every 10th round client B sends one
  // through replica 0 (well under its own rate).
  while (performance.now() - started < 1200) {
    const withB = rounds % 10 === 0
    const round = await Promise.all([...Array.from({ length: 12 }, (_, i) => check(i, 'client-a')), ...(withB ? [check(0, 'client-b')] : [])])
    allowedA += round.slice(0, 12).filter(Boolean).length
    if (withB) { sentB++; allowedB += round[12] === true ? 1 : 0 }
    rounds++
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  const elapsedS = (performance.now() - started) / 1000
  const single = rule.burst + elapsedS * rule.perSecond
  t.ok(allowedA <= Math.ceil(single) + 1, `client A: ${allowedA} admitted of ${rounds * 12} across 3 replicas <= ${single.toFixed(1)} + 1 step`)
  t.ok(allowedA >= Math.floor(single * 0.6), `client A still gets roughly its rate (${allowedA}), not a third of it`)
  t.equal(allowedB, sentB, 'client B has its own bucket and is never refused')
})
