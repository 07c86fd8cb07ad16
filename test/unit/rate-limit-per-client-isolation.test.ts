import t from 'tap'
import { RateLimiter } from '../../gateway/src/protection/rate-limiter.js'

t.test('a noisy client is refused while another client keeps passing', async t => {
  let now = 0
  const limiter = new RateLimiter({ now: () => now })
  const rule = { perSecond: 5, burst: 5 }
  const as = (key: string) => [{ scope: 'client' as const, key, rule }]
  let noisyOk = 0
  let quietOk = 0
  // 1 s of traffic in 10 ms steps: the noisy client tries 10 times a step, the quiet one once per 250 ms.
  for (let step = 0; step < 100; step++) {
    now = step * 10
    for (let i = 0; i < 10; i++) if (limiter.check(as('ip:noisy')).allowed) noisyOk++
    if (step % 25 === 0 && limiter.check(as('ip:quiet')).allowed) quietOk++
  }
  t.equal(quietOk, 4, 'every quiet request admitted')
  t.ok(noisyOk >= 9 && noisyOk <= 10, `noisy admitted burst + ~1 s of refill only (${noisyOk} of 1000)`)
})
