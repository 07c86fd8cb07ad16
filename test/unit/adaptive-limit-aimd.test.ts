import t from 'tap'
import { AimdLimit } from '../../gateway/src/protection/adaptive-limit.js'
import { ConcurrencyLimiter } from '../../gateway/src/protection/concurrency-limiter.js'
import { ManualClock } from '../helpers/protection-clock.js'

const config = { enabled: true, minConcurrency: 2, latencyThresholdMs: 100, backoffRatio: 0.5 }

t.test('slow or dropped samples halve the cap down to the floor; fast busy samples add one up to the max', async t => {
  const aimd = new AimdLimit(8, config)
  t.equal(aimd.limit, 8)
  aimd.onSample({ rttMs: 500, dropped: false, inflight: 8 })
  t.equal(aimd.limit, 4)
  aimd.onSample({ rttMs: 10, dropped: true, inflight: 4 })
  aimd.onSample({ rttMs: 10, dropped: true, inflight: 4 })
  t.equal(aimd.limit, 2, 'never below minConcurrency')
  aimd.onSample({ rttMs: 10, dropped: false, inflight: 0 })
  t.equal(aimd.limit, 2, 'an idle upstream proves nothing')
  for (let i = 0; i < 20; i++) aimd.onSample({ rttMs: 10, dropped: false, inflight: aimd.limit })
  t.equal(aimd.limit, 8, 'never above the configured max')
})

t.test('the limiter applies the adaptive cap to new permits', async t => {
  const clock = new ManualClock()
  const limiter = new ConcurrencyLimiter({
    name: 'legacy', maxConcurrency: 4, queue: { maxSize: 10, maxWaitMs: 1000 }, clock, adaptive: new AimdLimit(4, config)
  })
  const r = await limiter.acquire()
  clock.advance(300)
  r()
  t.equal(limiter.limit, 2, 'one slow response halved the cap')
  await limiter.acquire()
  await limiter.acquire()
  const third = limiter.acquire()
  t.equal(limiter.queued, 1, 'third waits although the configured max is 4')
  third.catch(() => {})
})
